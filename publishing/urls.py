from django.urls import path

from . import views

app_name = "publishing"

urlpatterns = [
    path("", views.index, name="index"),
    path("compose/", views.compose, name="compose"),
    path("check/", views.check, name="check"),
    path("approvals/", views.approvals, name="approvals"),
    path("calendar/", views.calendar, name="calendar"),
    path("posts/<int:post_id>/", views.post_detail, name="post"),
    path("posts/<int:post_id>/approve/", views.approve, name="approve"),
    path("posts/<int:post_id>/cancel/", views.cancel, name="cancel"),
    path("posts/<int:post_id>/submit/", views.submit, name="submit"),
    path("posts/<int:post_id>/reschedule/", views.reschedule, name="reschedule"),
    path(
        "posts/<int:post_id>/targets/<int:target_id>/retry/",
        views.retry,
        name="retry",
    ),
    path("images/<int:image_id>/", views.image, name="image"),
    path("accounts/<int:account_id>/", views.account, name="account"),
]
