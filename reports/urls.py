from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("team/", views.team, name="team"),
    path("revenue/", views.revenue, name="revenue"),
    path("cases/", views.cases, name="cases"),
    path("mine/", views.mine, name="mine"),
    path("digest/", views.digest, name="digest"),
    path("<str:report>/export.<str:fmt>", views.export, name="export"),
]
