from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


company_list = search = trash = contact_list
