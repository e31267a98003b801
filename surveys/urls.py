from django.urls import path, re_path

from . import public, views

app_name = "surveys"

urlpatterns = [
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.survey_create_page, name="create"),
    path("manage/<int:pk>/", views.survey_builder, name="builder"),
    path("manage/<int:pk>/questions/", views.question_add_view, name="question_add"),
    path(
        "manage/<int:pk>/questions/<int:qid>/",
        views.question_edit_view,
        name="question_edit",
    ),
    path(
        "manage/<int:pk>/questions/<int:qid>/delete/",
        views.question_delete_view,
        name="question_delete",
    ),
    path(
        "manage/<int:pk>/questions/<int:qid>/move/",
        views.question_move_view,
        name="question_move",
    ),
    path("manage/<int:pk>/links/", views.link_create_view, name="link_create"),
    path("manage/<int:pk>/preview/", views.survey_preview, name="preview"),
    path("manage/<int:pk>/results/", views.survey_results_page, name="results"),
    path("manage/<int:pk>/responses.csv", views.survey_responses_csv, name="csv"),
    # The public pages: /s/<token>, with or without the trailing slash (links get
    # copied by hand and shortened by platforms).
    re_path(r"^(?P<token>[A-Za-z0-9]{6,16})/?$", public.answer, name="answer"),
    re_path(r"^(?P<token>[A-Za-z0-9]{6,16})/thanks/$", public.thanks, name="thanks"),
]
