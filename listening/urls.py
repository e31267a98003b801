from django.urls import path

from . import views

urlpatterns = [
    path("", views.room_view, name="listening_room"),
    path("panels/<slug:name>/", views.panel_view, name="listening_panel"),
    path("mentions/", views.mentions_view, name="mentions"),
    path("mentions/latest/", views.latest_rows, name="mentions_latest"),
    path("wall/", views.wall_view, name="listening_wall"),
    path("alerts/", views.alert_rules_view, name="listening_alerts"),
    path(
        "alerts/<int:rule_id>/delete/",
        views.alert_rule_delete_view,
        name="listening_alert_delete",
    ),
]
