"""The OpenAPI description and the docs page, served from local files only."""

import re

import pytest
from api_support import ApiClient
from django.contrib.staticfiles import finders


@pytest.fixture
def plain_static_files(settings):
    # Production serves collected, hashed files (`clientela serve` collects them); tests have none.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_openapi_describes_every_endpoint_and_both_authentications(db):
    response = ApiClient().get("/openapi.json")

    assert response.status_code == 200
    spec = response.json()
    paths = spec["paths"]
    for path in [
        "/api/v1/contacts",
        "/api/v1/contacts/{contact_id}",
        "/api/v1/contacts/{contact_id}/restore",
        "/api/v1/contacts/bulk/tag",
        "/api/v1/contacts/bulk/reassign",
        "/api/v1/companies",
        "/api/v1/companies/{company_id}",
        "/api/v1/companies/{company_id}/restore",
        "/api/v1/companies/bulk/tag",
        "/api/v1/companies/bulk/reassign",
        "/api/v1/tags",
        "/api/v1/search",
        "/api/v1/tokens",
        "/api/v1/tokens/{token_id}",
    ]:
        assert path in paths
    assert set(spec["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    assert spec["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    create = paths["/api/v1/contacts"]["post"]["responses"]
    assert create["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/DuplicateOut")
    assert create["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")


def test_docs_page_loads_nothing_from_another_host(db, plain_static_files):
    response = ApiClient().get("/docs")

    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, html
    for url in urls:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), url
    assert "//" not in "".join(urls)
    assert '"validatorUrl": null' in html
    assert "cdn" not in html.lower()
    assert '"url": "/api/v1/openapi.json"' in html
