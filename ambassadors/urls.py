from django.urls import path

from .pages import advocacy, audit, governance, manage, people, training

app_name = "ambassadors"

urlpatterns = [
    # The ambassador's own pages.
    path("training/", training.my_training, name="my_training"),
    path("training/course/<int:course_id>/", training.course_page, name="course"),
    path("training/lesson/<int:lesson_id>/", training.lesson_page, name="lesson"),
    path(
        "training/course/<int:course_id>/quiz/",
        training.quiz_start,
        name="quiz_start",
    ),
    path("training/attempt/<int:attempt_id>/", training.attempt_page, name="attempt"),
    path(
        "training/attempt/<int:attempt_id>/result/",
        training.attempt_result_page,
        name="attempt_result",
    ),
    path("certification/", training.my_certification, name="my_certification"),
    path("policy/", governance.policy_page, name="policy"),
    path("handles/new/", governance.handle_register_page, name="handle_register"),
    path("share/", advocacy.share_list, name="share_list"),
    path("share/<int:pick_id>/", advocacy.share_action, name="share_action"),
    path("leaderboard/", advocacy.leaderboard_page, name="leaderboard"),
    # Managers and admins.
    path("manage/handles/", governance.handle_review_page, name="handle_review"),
    path(
        "manage/handles/<int:handle_id>/",
        governance.handle_review_action,
        name="handle_review_action",
    ),
    path("manage/share/", advocacy.share_picks, name="share_picks"),
    path("manage/people/", people.people_list, name="people"),
    path("manage/people/new/", people.person_edit, name="person_create"),
    path("manage/people/<int:user_id>/", people.person_edit, name="person_edit"),
    path(
        "manage/people/<int:user_id>/certification/",
        people.person_certification,
        name="person_certification",
    ),
    path("manage/policy/", governance.policy_edit, name="policy_edit"),
    path("manage/courses/new/", manage.course_edit, name="course_create"),
    path(
        "manage/courses/<int:course_id>/edit/", manage.course_edit, name="course_edit"
    ),
    path("manage/courses/<int:course_id>/quiz/", manage.quiz_edit, name="quiz_edit"),
    path(
        "manage/questions/<int:question_id>/",
        manage.question_edit,
        name="question_edit",
    ),
    path("manage/audit/", audit.audit_log, name="audit"),
]
for crud in (
    people.teams,
    people.skills,
    people.brands,
    people.products,
    manage.levels,
    manage.courses,
):
    urlpatterns += crud.urls(prefix="manage/")
