"""Surveys for integrations: surveys with their questions, links, responses, results.

Errors answer ``{"code", "message"}`` (see coupons.api for the documented codes).
"""

from django.urls import path

from .links import SurveyInvitations
from .responses import ResponseList, SurveyResultsView
from .surveys import SurveyDetail, SurveyListCreate

api_urlpatterns = [
    path("surveys/", SurveyListCreate.as_view(), name="api-surveys"),
    path("surveys/responses/", ResponseList.as_view(), name="api-survey-responses"),
    path("surveys/<int:pk>/", SurveyDetail.as_view(), name="api-survey"),
    path(
        "surveys/<int:pk>/invitations/",
        SurveyInvitations.as_view(),
        name="api-survey-invitations",
    ),
    path(
        "surveys/<int:pk>/results/",
        SurveyResultsView.as_view(),
        name="api-survey-results",
    ),
]
