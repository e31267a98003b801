"""The REST API: the permission matrix (every role × action × object), the shapes,
the filters and the errors."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from ambassadors.models import Certification, Role
from engagement.models import Case, Reply, ReplyStatus
from engagement.services import mentions_route, reply_create
from tests.engagement.factories import MONDAY_10AM, make_mention, make_person, make_team
from tests.tokens import api_token_create

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user)}")
    return client


@pytest.fixture
def world(support):
    """Two teams; people of every kind; a case of each kind; a reply waiting."""
    sales = make_team("sales", default=False)
    people = {
        "admin": make_person("admin", role=Role.ADMIN),
        "manager": make_person("manager", role=Role.MANAGER, team=support),
        # "own" is below professional, so their reply waits for approval.
        "own": make_person("own", team=support, certification=Certification.ENTHUSIAST),
        "mate": make_person("mate", team=support),
        "outsider": make_person("outsider", team=sales),
        "nobody": get_user_model().objects.create_user("nobody", password="x"),
    }
    cases = {}
    for name, team in (("own", support), ("team", support), ("sales", sales)):
        m = make_mention(author=f"fan_{name}", text=f"戴尔 {name}")
        mentions_route(mention_ids=[m.id], now=MONDAY_10AM)
        case = Case.objects.get(links__mention=m)
        Case.objects.filter(pk=case.pk).update(
            team=team, assignee=people["own"] if name == "own" else None
        )
        cases[name] = Case.objects.get(pk=case.pk)
    reply = reply_create(case_id=cases["own"].pk, text="谢谢支持", actor=people["own"])
    assert reply.status == ReplyStatus.PENDING_APPROVAL
    return {"people": people, "cases": cases, "reply": reply}


ACTORS = ["admin", "manager", "own", "mate", "outsider", "nobody"]

# (action, object) → the status each actor gets, in ACTORS order.
MATRIX = {
    ("detail", "own"): [200, 200, 200, 200, 404, 404],
    ("detail", "team"): [200, 200, 200, 200, 404, 404],
    ("detail", "sales"): [200, 200, 404, 404, 200, 404],
    ("assign_to_mate", "own"): [200, 200, 403, 403, 404, 404],
    ("assign_to_mate", "team"): [200, 200, 403, 200, 404, 404],
    ("assign_to_mate", "sales"): [200, 200, 404, 404, 403, 404],
    ("take", "team"): [200, 200, 200, 200, 404, 404],
    ("take", "sales"): [200, 200, 404, 404, 200, 404],
    ("release", "own"): [200, 200, 200, 403, 404, 404],
    ("status", "own"): [200, 200, 200, 403, 404, 404],
    ("status", "team"): [200, 200, 403, 403, 404, 404],
    ("status", "sales"): [200, 200, 404, 404, 403, 404],
    ("reply", "own"): [201, 201, 201, 403, 404, 404],
    ("reply", "team"): [201, 201, 403, 403, 404, 404],
    ("reply", "sales"): [201, 201, 404, 404, 403, 404],
    ("reply_detail", "reply"): [200, 200, 200, 200, 404, 404],
    ("approve", "reply"): [200, 200, 403, 403, 404, 404],
    ("reject", "reply"): [200, 200, 403, 403, 404, 404],
    ("retry", "reply"): [200, 200, 200, 403, 404, 404],
}


def perform(client, world, action, obj, actor_name):
    if obj == "reply":
        reply = world["reply"]
        if action == "retry":
            Reply.objects.filter(pk=reply.pk).update(status=ReplyStatus.FAILED)
        url = f"/api/v1/replies/{reply.pk}/"
        return {
            "reply_detail": lambda: client.get(url),
            "approve": lambda: client.post(f"{url}approve/", {}, format="json"),
            "reject": lambda: client.post(
                f"{url}reject/", {"reason": "语气不当"}, format="json"
            ),
            "retry": lambda: client.post(f"{url}retry/", {}, format="json"),
        }[action]()
    case = world["cases"][obj]
    url = f"/api/v1/cases/{case.pk}/"
    if action == "detail":
        return client.get(url)
    if action == "assign_to_mate":
        return client.post(f"{url}assign/", {"assignee": "mate"}, format="json")
    if action == "take":
        return client.post(f"{url}assign/", {"assignee": actor_name}, format="json")
    if action == "release":
        return client.post(f"{url}assign/", {"assignee": None}, format="json")
    if action == "status":
        return client.post(f"{url}status/", {"status": "pending"}, format="json")
    if action == "reply":
        return client.post(f"{url}replies/", {"text": "您好"}, format="json")
    raise AssertionError(action)


@pytest.mark.parametrize(
    "action, obj, actor, expected",
    [
        (action, obj, actor, codes[i])
        for (action, obj), codes in MATRIX.items()
        for i, actor in enumerate(ACTORS)
    ],
)
def test_permission_matrix(world, action, obj, actor, expected):
    if actor == "nobody":
        # A user without a role holds a token with no scope: refused before any
        # object is looked up.
        expected = 403
    response = perform(client_for(world["people"][actor]), world, action, obj, actor)
    assert response.status_code == expected, response.content
    if expected >= 400:
        body = response.json()
        assert set(body) >= {"code", "message"}
        assert body["message"]


@pytest.mark.parametrize("action, obj", sorted(MATRIX))
def test_every_action_needs_authentication(world, action, obj):
    response = perform(client_for(None), world, action, obj, "")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    "actor, visible",
    [
        ("admin", {"own", "team", "sales"}),
        ("manager", {"own", "team", "sales"}),
        ("own", {"own", "team"}),
        ("mate", {"own", "team"}),
        ("outsider", {"sales"}),
        ("nobody", set()),
    ],
)
def test_the_list_holds_only_cases_in_reach(world, actor, visible):
    response = client_for(world["people"][actor]).get("/api/v1/cases/")
    if actor == "nobody":
        # No role, so a token without scopes: refused outright.
        assert response.status_code == 403
        return
    body = response.json()
    ids = {c["id"] for c in body["results"]}
    assert ids == {world["cases"][name].pk for name in visible}


# --- Shapes and filters --------------------------------------------------------------


def test_a_case_comes_with_its_mentions_analysis_and_assignee(world):
    case = world["cases"]["own"]
    body = (
        client_for(world["people"]["manager"]).get(f"/api/v1/cases/{case.pk}/").json()
    )
    assert body["assignee"] == {"id": world["people"]["own"].pk, "username": "own"}
    assert body["team"]["slug"] == "support"
    assert body["priority"] in {"urgent", "high", "normal", "low"}
    [mention] = body["mentions"]
    assert mention["text"] == "戴尔 own"
    assert mention["sentiment_label"] == "neutral"
    assert mention["intent"] == "question"
    assert mention["author"]["screen_name"] == "fan_own"
    assert body["replies"][0]["status"] == "pending_approval"
    assert set(body["sla"]) == {
        "first_response_due_at",
        "resolution_due_at",
        "paused",
        "breached",
    }


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"assignee": "own"}, {"own"}),
        ({"assignee": "none"}, {"team", "sales"}),
        ({"team": "sales"}, {"sales"}),
        ({"status": "new"}, {"team", "sales"}),
        ({"status": "open"}, {"own"}),
        ({"platform": "twitter"}, set()),
        ({"platform": "weibo", "priority": "normal"}, {"own", "team", "sales"}),
        ({"priority": "urgent"}, set()),
        ({"sentiment": "neutral"}, {"own", "team", "sales"}),
        ({"sentiment": "negative"}, set()),
    ],
)
def test_the_list_filters(world, query, expected):
    body = client_for(world["people"]["admin"]).get("/api/v1/cases/", query).json()
    assert {c["id"] for c in body["results"]} == {
        world["cases"][name].pk for name in expected
    }


def test_an_unknown_filter_value_is_a_clear_error(world):
    response = client_for(world["people"]["admin"]).get(
        "/api/v1/cases/", {"priority": "whenever"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_listing_runs_a_constant_number_of_queries(
    world, django_assert_max_num_queries
):
    client = client_for(world["people"]["admin"])
    for i in range(20):
        m = make_mention(author=f"more{i}")
        mentions_route(mention_ids=[m.id], now=MONDAY_10AM)
    # A token made by the old command is hashed on its first use (a few writes,
    # once); the listing is measured after that.
    assert client.get("/api/v1/cases/?limit=1").status_code == 200
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/cases/").json()
    assert len(body["results"]) == 23


def test_a_reply_shows_its_platform_id_once_sent_and_its_error_when_failed(world):
    reply = world["reply"]
    client = client_for(world["people"]["manager"])
    Reply.objects.filter(pk=reply.pk).update(status="sent", external_id="4242")
    assert client.get(f"/api/v1/replies/{reply.pk}/").json()["external_id"] == "4242"
    Reply.objects.filter(pk=reply.pk).update(
        status="failed", external_id="", error="[21332] invalid_access_token"
    )
    body = client.get(f"/api/v1/replies/{reply.pk}/").json()
    assert body["status"] == "failed"
    assert body["error"] == "[21332] invalid_access_token"


def test_a_reply_breaking_the_policy_says_why(world):
    from engagement.models import PolicyRule

    PolicyRule.objects.create(kind="phone_number")
    case = world["cases"]["team"]
    response = client_for(world["people"]["manager"]).post(
        f"/api/v1/cases/{case.pk}/replies/",
        {"text": "请致电 138 0013 8000"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "policy_violation"
    assert "“138 0013 8000”" in body["message"]
    assert body["details"][0]["code"] == "phone_number"


def test_a_written_reply_comes_back_with_id_and_status(world):
    case = world["cases"]["team"]
    response = client_for(world["people"]["manager"]).post(
        f"/api/v1/cases/{case.pk}/replies/", {"text": "您好"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["id"] > 0
    assert body["status"] == "queued"
    assert body["external_id"] == ""
    assert body["error"] == ""


def test_approve_and_reject_answer_with_the_reply(world):
    client = client_for(world["people"]["manager"])
    reply = world["reply"]
    body = client.post(
        f"/api/v1/replies/{reply.pk}/approve/",
        {"text": "感谢您的支持 —own"},
        format="json",
    ).json()
    assert body["status"] == "queued"
    assert body["text"] == "感谢您的支持 —own"
    assert body["reviewed_by"]["username"] == "manager"
    again = client.post(f"/api/v1/replies/{reply.pk}/reject/", {"reason": "x"})
    assert again.status_code == 409
    assert again.json()["code"] == "not_pending"


def test_rejecting_without_a_reason_is_invalid(world):
    reply = world["reply"]
    response = client_for(world["people"]["manager"]).post(
        f"/api/v1/replies/{reply.pk}/reject/", {}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_assigning_over_capacity_is_a_conflict(world):
    mate = world["people"]["mate"]
    mate.profile.capacity = 0
    mate.profile.save(update_fields=["capacity"])
    case = world["cases"]["team"]
    response = client_for(world["people"]["manager"]).post(
        f"/api/v1/cases/{case.pk}/assign/", {"assignee": "mate"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "over_capacity"


def test_assigning_to_an_unknown_user_is_invalid(world):
    case = world["cases"]["team"]
    response = client_for(world["people"]["manager"]).post(
        f"/api/v1/cases/{case.pk}/assign/", {"assignee": "ghost"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_assignee"


def test_closing_needs_a_reason(world):
    case = world["cases"]["own"]
    client = client_for(world["people"]["own"])
    response = client.post(
        f"/api/v1/cases/{case.pk}/status/", {"status": "closed"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "reason_required"
    response = client.post(
        f"/api/v1/cases/{case.pk}/status/",
        {"status": "closed", "reason": "spam"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    assert response.json()["close_reason"] == "spam"


def test_the_schema_documents_every_endpoint_and_its_errors(world):
    client = client_for(world["people"]["admin"])
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in (
        "/api/v1/cases/",
        "/api/v1/cases/{id}/",
        "/api/v1/cases/{id}/assign/",
        "/api/v1/cases/{id}/status/",
        "/api/v1/cases/{id}/replies/",
        "/api/v1/replies/{id}/",
        "/api/v1/replies/{id}/approve/",
        "/api/v1/replies/{id}/reject/",
    ):
        assert path in paths
    assert "404" in paths["/api/v1/cases/{id}/"]["get"]["responses"]
    assert "403" in paths["/api/v1/replies/{id}/approve/"]["post"]["responses"]
    assert "409" in paths["/api/v1/cases/{id}/assign/"]["post"]["responses"]
