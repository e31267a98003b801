from django.urls import path

from . import views
from .views import desk, manage

app_name = "engagement"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("queue/rows/", views.queue_rows, name="queue_rows"),
    path("queue/poll/", views.queue_poll, name="queue_poll"),
    path("queue/assignees/", views.queue_assignees, name="queue_assignees"),
    path("queue/bulk/", views.queue_bulk, name="queue_bulk"),
    path("cases/<int:case_id>/", views.case_detail_view, name="case_detail"),
    path("people/suggest/", views.people_suggest_view, name="people_suggest"),
    path("cases/<int:case_id>/assign/", views.case_assign_view, name="case_assign"),
    path(
        "cases/<int:case_id>/assignees/",
        views.case_assignees_view,
        name="case_assignees",
    ),
    path("cases/<int:case_id>/status/", views.case_status_view, name="case_status"),
    path(
        "cases/<int:case_id>/priority/",
        views.case_priority_view,
        name="case_priority",
    ),
    path("cases/<int:case_id>/team/", views.case_team_view, name="case_team"),
    path("cases/<int:case_id>/labels/", views.case_labels_view, name="case_labels"),
    path(
        "cases/<int:case_id>/escalate/",
        views.case_escalate_view,
        name="case_escalate",
    ),
    path("cases/<int:case_id>/notes/", views.case_note_view, name="case_note"),
    path(
        "cases/<int:case_id>/contact/link/",
        views.contact_link_view,
        name="contact_link",
    ),
    path(
        "cases/<int:case_id>/contact/unlink/",
        views.contact_unlink_view,
        name="contact_unlink",
    ),
    path(
        "cases/<int:case_id>/contact/notes/",
        views.contact_note_view,
        name="contact_note",
    ),
    path(
        "cases/<int:case_id>/sentiment/",
        views.case_sentiment_view,
        name="case_sentiment",
    ),
    path("cases/<int:case_id>/fresh/", views.case_fresh_view, name="case_fresh"),
    path("cases/<int:case_id>/canned/", views.canned_search, name="canned_search"),
    path("cases/<int:case_id>/check/", views.composer_check, name="composer_check"),
    path("cases/<int:case_id>/replies/", views.reply_send, name="reply_send"),
    path(
        "cases/<int:case_id>/replies/list/",
        views.replies_fragment,
        name="replies_fragment",
    ),
    path("replies/<int:reply_id>/retry/", views.reply_retry_view, name="reply_retry"),
    path("approvals/", views.approvals, name="approvals"),
    path("needs-human/", views.needs_human, name="needs_human"),
    path(
        "needs-human/<int:mention_id>/verdict/",
        views.needs_human_verdict,
        name="needs_human_verdict",
    ),
    path(
        "replies/<int:reply_id>/approve/",
        views.reply_approve_view,
        name="reply_approve",
    ),
    path(
        "replies/<int:reply_id>/reject/", views.reply_reject_view, name="reply_reject"
    ),
    path("token/", views.api_token, name="api_token"),
    path("cases/<int:case_id>/snooze/", desk.case_snooze_view, name="case_snooze"),
    path("cases/<int:case_id>/merge/", desk.case_merge_view, name="case_merge"),
    path("cases/<int:case_id>/split/", desk.case_split_view, name="case_split"),
    path(
        "cases/<int:case_id>/presence/",
        desk.case_presence_view,
        name="case_presence",
    ),
    path("views/", desk.saved_view_save, name="saved_view_save"),
    path(
        "views/<int:view_id>/delete/",
        desk.saved_view_remove,
        name="saved_view_delete",
    ),
    path(
        "mentions/<int:mention_id>/case/",
        views.mention_case_view,
        name="mention_case",
    ),
]
for _crud in (manage.routing_rules, manage.policy_rules, manage.canned):
    urlpatterns += _crud.urls(prefix="manage/")
