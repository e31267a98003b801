"""One domain error, one API error shape for every app."""

import pytest
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework.test import APIClient
from rest_framework.views import APIView

from common.errors import DomainError, ErrorTable, conflict, not_allowed, not_found

TABLE = ErrorTable(
    {
        "gone_away": (410, _("This survey link has expired.")),
        "too_many": (409, "Too many."),
    }
)


def test_a_table_builds_the_error_with_its_status_and_message():
    with translation.override("en"):
        error = TABLE.error("gone_away")
    assert isinstance(error, DomainError)
    assert (error.code, error.status) == ("gone_away", 410)
    assert str(error) == error.message == "This survey link has expired."
    assert TABLE.error("too_many", "Only 3 left.").message == "Only 3 left."


def test_the_message_is_rendered_in_the_language_of_the_refusal():
    with translation.override("zh-hans"):
        chinese = TABLE.error("gone_away").message
    assert chinese != "This survey link has expired."


def test_an_unknown_code_is_a_programming_error():
    with pytest.raises(KeyError):
        TABLE.error("no_such_code")


@pytest.mark.parametrize(
    ("make", "status"), [(not_found, 404), (not_allowed, 403), (conflict, 409)]
)
def test_the_named_refusals_carry_their_status(make, status):
    assert make("x", "y").status == status


class Refusing(APIView):
    permission_classes: list = []
    authentication_classes: list = []

    def get(self, request):
        raise DomainError("over_capacity", "Full.", 409, details={"limit": 3})

    def post(self, request):
        raise TABLE.error("too_many")


urlpatterns = [path("refuse/", Refusing.as_view())]


@pytest.mark.urls("tests.common.test_errors")
def test_the_api_answers_a_domain_error_with_code_message_and_details():
    response = APIClient().get("/refuse/")
    assert response.status_code == 409
    assert response.json() == {
        "code": "over_capacity",
        "message": "Full.",
        "details": {"limit": 3},
    }


@pytest.mark.urls("tests.common.test_errors")
def test_details_are_left_out_when_there_are_none():
    response = APIClient().post("/refuse/", {}, format="json")
    assert response.status_code == 409
    assert response.json() == {"code": "too_many", "message": "Too many."}


@pytest.mark.django_db
def test_the_schema_has_one_error_component_for_every_app():
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("schema-admin", password="x")
    client = APIClient()
    client.force_authenticate(admin)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    components = set(schema["components"]["schemas"])
    assert "Error" in components
    assert not {"EngagementError", "CouponError", "SurveyError"} & components
    refs = set()
    for methods in schema["paths"].values():
        for operation in methods.values():
            for status, response in operation.get("responses", {}).items():
                if status.startswith(("4", "5")):
                    for media in response.get("content", {}).values():
                        refs.add(media["schema"]["$ref"])
    assert refs == {"#/components/schemas/Error"}
