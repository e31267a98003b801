"""Two workers routing at once against real PostgreSQL (each thread has its own
connection and transactions)."""

import threading

import pytest
from django.db import connection
from django.db.models import Count

from engagement.models import ACTIVE_Q, Case, CaseMention
from engagement.services import mentions_route
from tests.engagement.factories import MONDAY_10AM, make_mention, make_person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

CASES = 200
BATCH = 20  # small batches, so the two workers interleave many times
CAPACITY = 15
AMBASSADORS = 6  # 90 places for 200 cases: the workers fight over the last ones


def _run_workers(batches_per_worker: list[list[list[int]]]) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(batches_per_worker))

    def worker(batches: list[list[int]]) -> None:
        try:
            start.wait()
            for ids in batches:
                mentions_route(mention_ids=ids, now=MONDAY_10AM)
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(b,)) for b in batches_per_worker]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a worker hung (deadlock?)"
    return errors


def _batches(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + BATCH] for i in range(0, len(ids), BATCH)]


@pytest.fixture
def crowd(require_postgres, support, sent_tasks):
    people = [
        make_person(f"amb{i}", team=support, capacity=CAPACITY)
        for i in range(AMBASSADORS)
    ]
    ids = [make_mention(author=f"fan{i}").id for i in range(CASES)]
    return people, ids


def test_capacity_is_never_exceeded_when_two_workers_route_200_cases(crowd):
    people, ids = crowd
    errors = _run_workers([_batches(ids[0::2]), _batches(ids[1::2])])
    assert errors == []
    assert Case.objects.count() == CASES
    loads = dict(
        Case.objects.filter(ACTIVE_Q, assignee__isnull=False)
        .values("assignee")
        .annotate(n=Count("id"))
        .values_list("assignee", "n")
    )
    assert all(n <= CAPACITY for n in loads.values()), loads
    # Every place is filled and the rest wait in the team queue.
    assert sum(loads.values()) == AMBASSADORS * CAPACITY
    assert Case.objects.filter(assignee__isnull=True).count() == (
        CASES - AMBASSADORS * CAPACITY
    )


def test_two_workers_routing_the_same_mentions_link_each_once(crowd):
    people, ids = crowd
    errors = _run_workers([_batches(ids), _batches(ids)])
    assert errors == []
    assert CaseMention.objects.count() == CASES
    assert Case.objects.count() == CASES
    assert sum(Case.objects.values_list("mention_count", flat=True)) == CASES


def test_two_workers_routing_one_conversation_open_one_case(
    require_postgres, support, sent_tasks
):
    make_person("amb", team=support)
    root = make_mention(author="fan", external_id="9000")
    replies = [make_mention(author="fan", thread="9000") for _ in range(30)]
    ids = [root.id] + [m.id for m in replies]
    errors = _run_workers([[[i] for i in ids[0::2]], [[i] for i in ids[1::2]]])
    assert errors == []
    case = Case.objects.get()
    assert case.mention_count == len(ids)
    assert case.links.count() == len(ids)
