"""The program's endpoints are in the OpenAPI schema, with their error responses."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/training/courses/": ("get", set()),
    "/api/v1/training/courses/{course_id}/": ("get", {"404"}),
    "/api/v1/training/courses/{course_id}/attempts/": ("post", {"404", "429"}),
    "/api/v1/training/attempts/{attempt_id}/submit/": ("post", {"400", "404", "409"}),
    "/api/v1/training/courses/{course_id}/quiz/": ("get", {"403", "404"}),
    "/api/v1/ambassadors/me/": ("get", {"404"}),
    "/api/v1/ambassadors/leaderboard/": ("get", {"400"}),
    "/api/v1/ambassadors/handles/": ("post", {"400", "403"}),
    "/api/v1/ambassadors/handles/{handle_id}/approve/": ("post", {"400", "404"}),
    "/api/v1/ambassadors/shares/": ("post", {"400", "403", "404", "409"}),
}


def test_the_program_api_is_in_the_schema_with_its_errors(django_user_model):
    admin = django_user_model.objects.create_superuser("schema", password="x")
    client = APIClient()
    client.force_authenticate(admin)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path, (method, errors) in PATHS.items():
        operation = schema["paths"][path][method]
        assert errors <= set(operation["responses"]), path
        for status in errors:
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"]["$ref"].endswith("/Error"), path


def test_anonymous_callers_are_refused(db):
    response = APIClient().get("/api/v1/ambassadors/me/")
    assert response.status_code in (401, 403)
    assert "code" in response.json()
