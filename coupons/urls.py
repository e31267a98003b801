from django.urls import path

from . import views

app_name = "coupons"

urlpatterns = [
    path("", views.campaign_list_page, name="list"),
    path("new/", views.campaign_create_page, name="create"),
    path("<int:pk>/", views.campaign_detail_page, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit_page, name="edit"),
    path("<int:pk>/status/", views.campaign_status, name="status"),
    path("<int:pk>/generate/", views.campaign_generate, name="generate"),
    path("<int:pk>/report.csv", views.campaign_report_csv, name="report_csv"),
    path("<int:pk>/codes.csv", views.campaign_codes_csv, name="codes_csv"),
    path("batches/<int:pk>/", views.batch_progress, name="batch"),
]
