"""Administrators reach the admin pages from the navigation and define custom fields there."""

from clientela.contacts.models import CustomFieldDefinition
from clientela.core.models import AuditEvent
from conftest import client_for


def test_only_administrators_see_the_administration_link(admin, owner, lead, viewer):
    assert "/admin/" in client_for(admin).get("/").content.decode()
    for user in (owner, lead, viewer):
        assert "/admin/" not in client_for(user).get("/").content.decode()


def test_non_administrators_cannot_open_the_admin_pages(owner, lead):
    for user in (owner, lead):
        response = client_for(user).get("/admin/contacts/customfielddefinition/")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_choice_field_without_choices_is_refused_naming_the_field(admin):
    response = client_for(admin).post(
        "/admin/contacts/customfielddefinition/add/",
        {"entity": "contact", "key": "size", "label": "Size", "field_type": "choice",
         "choices": "[]", "position": 0},
    )  # fmt: skip

    assert response.status_code == 200
    assert "choices" in response.context["adminform"].form.errors
    assert not CustomFieldDefinition.objects.exists()


def test_defining_a_custom_field_is_recorded(admin):
    response = client_for(admin).post(
        "/admin/contacts/customfielddefinition/add/",
        {"entity": "contact", "key": "size", "label": "Size", "field_type": "choice",
         "choices": '["S", "M", "L"]', "position": 0},
    )  # fmt: skip

    assert response.status_code == 302
    definition = CustomFieldDefinition.objects.get(key="size")
    assert definition.choices == ["S", "M", "L"]
    assert AuditEvent.objects.filter(object_id=definition.pk, action="create", actor=admin).exists()
