from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="mentions"),
    path("mentions/latest/", views.latest_rows, name="mentions_latest"),
]
