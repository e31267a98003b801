import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from common.errors import DomainError
from surveys.models import Answer, Response
from surveys.services import survey_response_submit
from tests.surveys.factories import full_answers, make_survey, personal_link

pytestmark = pytest.mark.django_db(transaction=True)

SUBMISSIONS = 30


def test_a_personal_link_submitted_many_times_at_once_stores_one_response(
    require_postgres, monkeypatch
):
    from surveys.tasks import analyze_response

    monkeypatch.setattr(analyze_response, "delay", lambda response_id: None)
    survey = make_survey()
    link = personal_link(survey)
    answers = full_answers(survey)
    barrier = threading.Barrier(SUBMISSIONS)

    def submit(_n) -> str:
        try:
            barrier.wait(timeout=30)
            survey_response_submit(token=link.token, answers=answers)
            return "ok"
        except DomainError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=SUBMISSIONS) as pool:
        outcomes = list(pool.map(submit, range(SUBMISSIONS)))
    assert outcomes.count("ok") == 1
    assert outcomes.count("link_used") == SUBMISSIONS - 1
    assert Response.objects.count() == 1
    assert Answer.objects.count() == len(answers)
