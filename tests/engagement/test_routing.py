import datetime as dt

import pytest

from ambassadors.models import Certification, Team
from ambassadors.services import profile_set_availability, profile_update
from engagement.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Label,
    Priority,
    Reply,
    ReplyStatus,
    RoutingRule,
    SlaPolicy,
)
from engagement.services import (
    assignment_options,
    case_set_status,
    cases_assign_waiting,
    mentions_route,
)
from listening.models import Brand, Mention
from tests.engagement.factories import MONDAY_10AM, make_mention, make_person, make_team

pytestmark = pytest.mark.django_db


def route(*mentions, now=MONDAY_10AM):
    return mentions_route(mention_ids=[m.id for m in mentions], now=now)


def case_of(mention) -> Case:
    return Case.objects.get(links__mention=mention)


# --- Cases ---------------------------------------------------------------------------


def test_mentions_of_one_conversation_share_a_case(support):
    root = make_mention(author="fan1", external_id="100")
    reply = make_mention(author="fan1", thread="100")
    other_author = make_mention(author="fan2", thread="100")
    result = route(root, reply, other_author)
    assert result.cases_created == 2
    assert case_of(root) == case_of(reply)
    assert case_of(other_author) != case_of(root)
    assert case_of(root).mention_count == 2


def test_routing_a_mention_twice_changes_nothing(support):
    m = make_mention()
    route(m)
    again = route(m)
    assert again.skipped == 1
    assert again.cases_created == 0
    assert Case.objects.count() == 1
    assert case_of(m).mention_count == 1


def test_a_later_mention_joins_the_active_case_and_wakes_a_pending_one(support):
    make_person("amb", team=support)
    first = make_mention(author="fan1", external_id="200")
    route(first)
    case = case_of(first)
    case_set_status(
        case_id=case.pk, status="pending", actor=case.assignee, now=MONDAY_10AM
    )
    later = make_mention(author="fan1", thread="200")
    result = route(later, now=MONDAY_10AM + dt.timedelta(hours=1))
    case.refresh_from_db()
    assert result.cases_updated == 1
    assert result.cases_created == 0
    assert case.status == CaseStatus.OPEN
    assert case.mention_count == 2
    assert case.sla_paused_at is None


def test_a_resolved_conversation_gets_a_new_case(support):
    make_person("amb", team=support)
    first = make_mention(author="fan1", external_id="300")
    route(first)
    case = case_of(first)
    case_set_status(case_id=case.pk, status="resolved", actor=case.assignee)
    later = make_mention(author="fan1", thread="300")
    route(later)
    assert case_of(later) != case


def test_posts_of_the_brands_own_account_are_not_cases(support):
    from listening.models import Source

    Source.objects.create(
        name="@戴尔中国", platform="weibo", kind="mentions", query="1642909335"
    )
    announcement = make_mention(author="1642909335", text="新款XPS今天上市！")
    customer = make_mention(author="fan7", text="@戴尔中国 XPS 什么时候降价？")
    result = route(announcement)
    assert result.skipped == 1
    assert Case.objects.count() == 0
    route(customer)
    assert Case.objects.count() == 1


def test_our_own_replies_coming_back_from_polling_are_not_cases(support):
    customer = make_mention(external_id="400")
    route(customer)
    case = case_of(customer)
    Reply.objects.create(
        case=case,
        mention=customer,
        platform="weibo",
        text="谢谢",
        status=ReplyStatus.SENT,
        external_id="401",
    )
    ours = make_mention(author="dell_official", external_id="401", thread="400")
    result = route(ours)
    assert result.skipped == 1
    assert Case.objects.count() == 1


def test_priority_follows_the_analysis_score_and_sets_sla_targets(support):
    SlaPolicy.objects.create(
        priority=Priority.URGENT, first_response_minutes=30, resolution_minutes=240
    )
    m = make_mention(priority=90.0)
    route(m)
    case = case_of(m)
    assert case.priority == Priority.URGENT
    assert case.first_response_due_at == MONDAY_10AM + dt.timedelta(minutes=30)
    assert case.resolution_due_at == MONDAY_10AM + dt.timedelta(minutes=240)


# --- Rules ---------------------------------------------------------------------------


def test_rules_set_team_priority_and_labels_in_order(support):
    sales = make_team("sales", default=False)
    lead = Label.objects.create(name="lead")
    vip = Label.objects.create(name="vip")
    RoutingRule.objects.create(
        name="big accounts",
        position=1,
        min_followers=5000,
        add_label=vip,
        set_priority=Priority.URGENT,
    )
    RoutingRule.objects.create(
        name="buyers",
        position=2,
        intents=["purchase"],
        set_team=sales,
        set_priority=Priority.LOW,
        add_label=lead,
    )
    RoutingRule.objects.create(name="never reached team", position=3, set_team=support)
    m = make_mention(intent="purchase", followers=9000)
    route(m)
    case = case_of(m)
    assert case.team == sales  # the first rule that names a team wins it
    assert case.priority == Priority.URGENT  # likewise the priority
    assert set(case.labels.values_list("name", flat=True)) == {"vip", "lead"}
    created = CaseEvent.objects.get(case=case, kind="created")
    assert created.data["rules"] == ["big accounts", "buyers", "never reached team"]


def test_a_stop_rule_ends_the_run(support):
    sales = make_team("sales", default=False)
    RoutingRule.objects.create(
        name="stop", position=1, platforms=["twitter"], stop=True
    )
    RoutingRule.objects.create(name="sales", position=2, set_team=sales)
    tweet = make_mention(platform="twitter", language="en", text="Dell rocks")
    route(tweet)
    assert case_of(tweet).team == support  # the default team


def test_rule_conditions_on_language_sentiment_keywords_and_competitors(support):
    marketing = make_team("marketing", default=False)
    Brand.objects.create(slug="lenovo", name="Lenovo", kind="competitor")
    RoutingRule.objects.create(
        name="competitor complaints in chinese",
        languages=["zh-hans"],
        sentiments=["negative"],
        brand_kind="competitor",
        keywords=["换机"],
        set_team=marketing,
    )
    matching = make_mention(
        text="联想太差了，想换机", sentiment="negative", brands=["lenovo"]
    )
    wrong_language = make_mention(
        text="Lenovo is bad, 换机",
        language="en",
        sentiment="negative",
        brands=["lenovo"],
        author="fan2",
    )
    own_brand = make_mention(
        text="戴尔太差了，想换机", sentiment="negative", brands=["dell"], author="fan3"
    )
    route(matching, wrong_language, own_brand)
    assert case_of(matching).team == marketing
    assert case_of(wrong_language).team == support
    assert case_of(own_brand).team == support


# --- Eligibility ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "profile, mention_kwargs",
    [
        ({"availability": "away"}, {}),
        ({"availability": "off"}, {}),
        ({"languages": ["en"]}, {"language": "zh"}),
        ({"platforms": ["twitter"]}, {"platform": "weibo"}),
        ({"skills": ["laptops"]}, {"products": ["poweredge"]}),
        ({"certification": Certification.NONE}, {}),
        ({"certification": Certification.ENTHUSIAST}, {"sentiment": "negative"}),
        ({"certification": Certification.ENTHUSIAST}, {"followers": 50_000}),
        ({"capacity": 0}, {}),
        (
            {"work_start": dt.time(14), "work_end": dt.time(18)},
            {},
        ),
        ({"work_days": [5, 6]}, {}),
    ],
    ids=[
        "away",
        "off",
        "language",
        "platform",
        "skills",
        "not-certified",
        "negative-needs-professional",
        "influencer-needs-professional",
        "no-capacity",
        "outside-working-hours",
        "not-a-working-day",
    ],
)
def test_an_ineligible_ambassador_gets_no_case(support, profile, mention_kwargs):
    from ambassadors.models import Skill

    Skill.objects.create(slug="servers", name="Servers", products=["poweredge"])
    make_person("amb", team=support, **profile)
    m = make_mention(**mention_kwargs)
    result = route(m)
    assert result.assigned == 0
    assert result.waiting == 1
    assert case_of(m).assignee is None


def test_an_eligible_ambassador_gets_the_case(support):
    from ambassadors.models import Skill

    Skill.objects.create(slug="servers", name="Servers", products=["poweredge"])
    amb = make_person(
        "amb", team=support, skills=["servers"], certification=Certification.EXPERT
    )
    m = make_mention(products=["poweredge"], sentiment="negative", followers=50_000)
    route(m)
    assert case_of(m).assignee == amb
    assert CaseEvent.objects.filter(case=case_of(m), kind="assigned").exists()


def test_working_hours_are_read_in_the_ambassadors_time_zone(support):
    # 10:00 in Beijing is 02:00 in London: a London 9-to-6 is asleep.
    make_person("amb", team=support, time_zone="Europe/London")
    m = make_mention()
    route(m)
    assert case_of(m).assignee is None


def test_ambassadors_of_another_team_are_not_considered(support):
    make_person("other", team=make_team("sales", default=False))
    m = make_mention()
    route(m)
    assert case_of(m).assignee is None


# --- Fairness ------------------------------------------------------------------------


def test_the_least_loaded_ambassador_gets_the_next_case(support):
    busy = make_person("busy", team=support)
    idle = make_person("idle", team=support)
    warmup = [make_mention(author=f"w{i}") for i in range(3)]
    route(*warmup)
    # Round robin spread them; load "busy" with the third by hand.
    Case.objects.update(assignee=busy)
    m = make_mention(author="new")
    route(m)
    assert case_of(m).assignee == idle


def test_equally_loaded_ambassadors_take_turns(support):
    people = [make_person(f"amb{i}", team=support) for i in range(3)]
    mentions = [make_mention(author=f"fan{i}") for i in range(9)]
    route(*mentions)
    counts = {p.username: Case.objects.filter(assignee=p).count() for p in people}
    assert counts == {"amb0": 3, "amb1": 3, "amb2": 3}
    # The next case goes to whoever waited longest since their last case.
    first_assigned = Case.objects.order_by("assigned_at", "id").first().assignee
    Case.objects.filter(assignee__in=people).update(status="resolved")
    nxt = make_mention(author="late")
    route(nxt, now=MONDAY_10AM + dt.timedelta(minutes=5))
    assert case_of(nxt).assignee == first_assigned


def test_the_most_urgent_cases_are_assigned_first_when_capacity_is_short(support):
    make_person("amb", team=support, capacity=1)
    low = make_mention(priority=10.0, author="a")
    urgent = make_mention(priority=90.0, author="b")
    route(low, urgent)
    assert case_of(urgent).assignee is not None
    assert case_of(low).assignee is None


def test_no_ambassador_goes_over_capacity(support):
    people = [make_person(f"amb{i}", team=support, capacity=2) for i in range(3)]
    result = route(*[make_mention(author=f"fan{i}") for i in range(10)])
    assert result.assigned == 6
    assert result.waiting == 4
    for person in people:
        assert Case.objects.filter(assignee=person).count() == 2


# --- Waiting cases -------------------------------------------------------------------


def test_a_waiting_case_is_assigned_when_someone_frees_up(support):
    amb = make_person("amb", team=support, capacity=1)
    first, second = make_mention(author="a"), make_mention(author="b")
    route(first, second)
    waiting = case_of(second)
    assert waiting.assignee is None
    case_set_status(case_id=case_of(first).pk, status="resolved", actor=amb)
    assert cases_assign_waiting(team_id=support.pk, now=MONDAY_10AM) == 1
    waiting.refresh_from_db()
    assert waiting.assignee == amb


def test_a_waiting_case_is_assigned_when_someone_comes_online(support, sent_tasks):
    amb = make_person("amb", team=support, availability="away")
    m = make_mention()
    route(m)
    assert case_of(m).assignee is None
    profile_set_availability(user=amb, availability="available")
    assert cases_assign_waiting(now=MONDAY_10AM) == 1
    assert case_of(m).assignee == amb


def test_coming_online_offers_the_team_queue(
    support, sent_tasks, django_capture_on_commit_callbacks
):
    amb = make_person("amb", team=support, availability="away")
    with django_capture_on_commit_callbacks(execute=True):
        profile_set_availability(user=amb, availability="available")
    assert sent_tasks == [("engagement.route_waiting", [support.pk])]


def test_profile_changes_that_free_capacity_offer_the_team_queue(
    support, sent_tasks, django_capture_on_commit_callbacks
):
    amb = make_person("amb", team=support, capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(profile=amb.profile, capacity=5)
    assert ("engagement.route_waiting", [support.pk]) in sent_tasks


def test_resolving_an_assigned_case_offers_the_team_queue(
    support, sent_tasks, django_capture_on_commit_callbacks
):
    amb = make_person("amb", team=support)
    m = make_mention()
    route(m)
    with django_capture_on_commit_callbacks(execute=True):
        case_set_status(case_id=case_of(m).pk, status="resolved", actor=amb)
    assert ("engagement.route_waiting", [support.pk]) in sent_tasks


def test_the_default_team_is_where_unruled_cases_go():
    Team.objects.create(slug="a", name="A")
    default = Team.objects.create(slug="b", name="B", is_default=True)
    m = make_mention()
    route(m)
    assert case_of(m).team == default


def test_mentions_whose_author_is_unknown_still_group_by_thread(support):
    root = make_mention(external_id="600")
    reply = make_mention(thread="600")
    Mention.objects.filter(pk__in=[root.pk, reply.pk]).update(author=None)
    route(root)
    route(reply)
    assert case_of(root) == case_of(reply)
    assert case_of(root).mention_count == 2


def test_assignment_options_say_why_someone_cannot_take_the_case(support):
    make_person("busy", team=support, capacity=1)
    make_person("english", team=support, languages=["en"])
    m = make_mention(language="zh")
    route(m)
    options = {
        o.username: o for o in assignment_options(case=case_of(m), now=MONDAY_10AM)
    }
    assert options["busy"].load == 1
    assert options["busy"].reasons == ("capacity",)
    assert options["english"].reasons == ("language",)
