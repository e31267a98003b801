"""Case actions by people: assignment, status, priority, team, labels, notes,
escalation, and the history they leave."""

import pytest
from django.utils import translation

from ambassadors.models import Certification, Role
from common.errors import DomainError
from engagement.models import Case, CaseEvent, CaseStatus, Priority
from engagement.selectors import case_detail, cases_queue, queue_counts
from engagement.services import (
    case_add_note,
    case_assign,
    case_escalate,
    case_set_labels,
    case_set_priority,
    case_set_status,
    case_set_team,
    mentions_route,
)
from tests.engagement.conftest import MONDAY_10AM, make_mention, make_person, make_team

pytestmark = pytest.mark.django_db


def new_case(**mention):
    m = make_mention(**mention)
    mentions_route(mention_ids=[m.id], now=MONDAY_10AM)
    return Case.objects.get(links__mention=m)


@pytest.fixture
def manager(support):
    return make_person("boss", role=Role.MANAGER, team=support)


def history(case):
    return list(
        CaseEvent.objects.filter(case=case)
        .order_by("id")
        .values_list("kind", flat=True)
    )


def test_every_change_is_in_the_history_with_who_did_it(support, manager):
    amb = make_person("amb", team=support)
    case = new_case()
    case_set_status(case_id=case.pk, status="open", actor=amb)
    case_set_priority(case_id=case.pk, priority=Priority.HIGH, actor=amb)
    case_set_labels(case_id=case.pk, labels=["vip", "xps"], actor=amb)
    case_add_note(case_id=case.pk, text="客户很着急", actor=manager)
    case_set_status(case_id=case.pk, status="resolved", actor=manager)
    assert history(case) == [
        "created",
        "assigned",
        "status_changed",
        "priority_changed",
        "labels_changed",
        "note_added",
        "status_changed",
    ]
    events = CaseEvent.objects.filter(case=case, kind="status_changed").order_by("id")
    assert [(e.actor, e.data["previous"], e.data["status"]) for e in events] == [
        (amb, "new", "open"),
        (manager, "open", "resolved"),
    ]


def test_closing_as_spam_records_the_reason_and_reopening_clears_it(support):
    amb = make_person("amb", team=support)
    case = new_case()
    with pytest.raises(DomainError):
        case_set_status(case_id=case.pk, status="closed", actor=amb)
    case = case_set_status(case_id=case.pk, status="closed", reason="spam", actor=amb)
    assert case.close_reason == "spam" and case.closed_at is not None
    case = case_set_status(case_id=case.pk, status="open", actor=amb)
    assert case.close_reason == "" and case.closed_at is None


def test_reopening_when_the_conversation_has_a_new_case_is_a_conflict(support):
    amb = make_person("amb", team=support)
    old = new_case(external_id="700")
    case_set_status(case_id=old.pk, status="resolved", actor=amb)
    new_case(thread="700")  # the customer wrote again: a new case
    with pytest.raises(DomainError) as refused:
        case_set_status(case_id=old.pk, status="open", actor=amb)
    assert refused.value.code == "conversation_has_active_case"


def test_an_ambassador_takes_a_team_case_and_gives_it_back(support):
    make_person("amb", team=support, capacity=0)  # routing gives it to nobody
    taker = make_person("taker", team=support, availability="away")
    case = new_case()
    assert case.assignee is None
    case = case_assign(case_id=case.pk, assignee=taker, actor=taker)
    assert case.assignee == taker
    case = case_assign(case_id=case.pk, assignee=None, actor=taker)
    assert case.assignee is None
    assert history(case)[-2:] == ["assigned", "unassigned"]


def test_an_ambassador_may_not_take_a_case_they_are_not_certified_for(support):
    trainee = make_person(
        "trainee", team=support, certification=Certification.ENTHUSIAST
    )
    case = new_case(sentiment="negative")
    assert case.assignee is None  # negative: professional or better
    with pytest.raises(DomainError) as refused:
        case_assign(case_id=case.pk, assignee=trainee, actor=trainee)
    assert "certification" in refused.value.message


def test_a_manager_cannot_push_someone_over_capacity(support, manager):
    amb = make_person("amb", team=support, capacity=1)
    first = new_case(author="a")
    assert first.assignee == amb
    second = new_case(author="b")
    with pytest.raises(DomainError) as refused, translation.override("en"):
        case_assign(case_id=second.pk, assignee=amb, actor=manager)
    assert refused.value.code == "over_capacity"
    assert "capacity 1" in refused.value.message


def test_moving_a_case_to_another_team_releases_an_assignee_from_the_old_one(
    support, manager
):
    amb = make_person("amb", team=support)
    sales = make_team("sales", default=False)
    case = new_case()
    assert case.assignee == amb
    with pytest.raises(DomainError):
        case_set_team(case_id=case.pk, team_id=sales.pk, actor=amb)
    case = case_set_team(case_id=case.pk, team_id=sales.pk, actor=manager)
    assert case.team == sales and case.assignee is None


def test_escalating_needs_an_expert_and_raises_the_priority(support):
    pro = make_person("pro", team=support)
    case = new_case(priority=10.0)
    assert case.assignee == pro and case.priority == Priority.LOW
    case = case_escalate(case_id=case.pk, actor=pro, reason="媒体关注")
    assert case.escalated and case.priority == Priority.HIGH
    assert case.assignee is None  # a professional hands it to an expert
    expert = make_person("expert", team=support, certification=Certification.EXPERT)
    from engagement.services import cases_assign_waiting

    assert cases_assign_waiting(team_id=support.pk, now=MONDAY_10AM) == 1
    case.refresh_from_db()
    assert case.assignee == expert


def test_a_note_needs_text_and_anyone_who_sees_the_case_may_add_one(support):
    owner = make_person("owner", team=support)
    mate = make_person("mate", team=support)
    case = new_case()
    with pytest.raises(DomainError):
        case_add_note(case_id=case.pk, text="  ", actor=mate)
    note = case_add_note(case_id=case.pk, text="<b>hi</b>", actor=mate)
    assert note.text == "<b>hi</b>" and case.assignee == owner


def test_cases_outside_reach_do_not_exist(support):
    make_person("amb", team=support)
    outsider = make_person("outsider", team=make_team("sales", default=False))
    case = new_case()
    for action in (
        lambda: case_set_status(case_id=case.pk, status="open", actor=outsider),
        lambda: case_add_note(case_id=case.pk, text="x", actor=outsider),
        lambda: case_detail(user=outsider, case_id=case.pk),
    ):
        with pytest.raises(DomainError):
            action()


# --- Queue ---------------------------------------------------------------------------


def test_the_queue_serves_the_most_urgent_then_the_longest_waiting(support, manager):
    low = new_case(priority=10.0, author="a")
    urgent = new_case(priority=90.0, author="b")
    normal_old = new_case(priority=50.0, author="c")
    normal_new = new_case(priority=50.0, author="d")
    Case.objects.filter(pk=normal_old.pk).update(waiting_since=MONDAY_10AM)
    order = [c.pk for c in cases_queue(user=manager)]
    assert order == [urgent.pk, normal_old.pk, normal_new.pk, low.pk]


def test_the_queue_runs_a_constant_number_of_queries(
    support, manager, django_assert_num_queries
):
    for i in range(30):
        case = new_case(author=f"fan{i}")
        case_set_labels(case_id=case.pk, labels=["a", "b"], actor=manager)
    with django_assert_num_queries(2):  # the rows (joined) and their labels
        rows = list(cases_queue(user=manager)[:50])
        for row in rows:
            _ = (row.team.name, row.assignee, row.author.screen_name, row.sla_breached)
            _ = [label.name for label in row.labels.all()]
    assert len(rows) == 30


def test_the_case_page_reads_in_a_constant_number_of_queries(
    support, manager, django_assert_max_num_queries
):
    case = new_case(external_id="800")
    for _ in range(10):
        m = make_mention(thread="800")
        mentions_route(mention_ids=[m.id], now=MONDAY_10AM)
    for i in range(5):
        case_add_note(case_id=case.pk, text=f"note {i}", actor=manager)
    with django_assert_max_num_queries(8):
        full = case_detail(user=manager, case_id=case.pk)
        texts = [link.mention.text for link in full.links.all()]
        authors = [link.mention.author.screen_name for link in full.links.all()]
        notes = [(n.author.username, n.text) for n in full.notes.all()]
        events = [(e.kind, e.actor) for e in full.events.all()]
        _ = [label.name for label in full.labels.all()]
        _ = list(full.replies.all())
    assert len(texts) == 11 and len(authors) == 11 and len(notes) == 5
    assert len(events) >= 7


def test_queue_counts_for_the_badges(support):
    amb = make_person("amb", team=support, capacity=1)
    new_case(author="a")
    new_case(author="b")
    counts = queue_counts(user=amb)
    assert counts == {"active": 2, "mine": 1, "team_waiting": 1}


def test_an_ambassador_sees_their_team_queue_and_their_own_cases_only(support):
    amb = make_person("amb", team=support, capacity=1)
    mine = new_case(author="a")
    team = new_case(author="b")
    sales = make_team("sales", default=False)
    other = new_case(author="c")
    Case.objects.filter(pk=other.pk).update(team=sales)
    assert {c.pk for c in cases_queue(user=amb)} == {mine.pk, team.pk}
    assert [c.pk for c in cases_queue(user=amb, assignee="me")] == [mine.pk]
    assert [c.pk for c in cases_queue(user=amb, assignee="unassigned")] == [team.pk]
    assert CaseStatus.NEW == mine.status


def test_resolving_a_case_offers_the_customer_a_satisfaction_survey(
    support, manager, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(
        "dellsocial.pipeline.app.send_task",
        lambda name, args=None, **kw: sent.append((name, args)),
    )
    case = new_case()
    with django_capture_on_commit_callbacks(execute=True):
        case_set_status(case_id=case.pk, status="pending", actor=manager)
    assert sent == []
    with django_capture_on_commit_callbacks(execute=True):
        case_set_status(case_id=case.pk, status="resolved", actor=manager)
    assert sent == [("surveys.send_csat_for_case", [case.pk])]
