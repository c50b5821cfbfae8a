from django.urls import path

from tidtam.jobs import views

urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("<uuid:job_id>/", views.job_detail, name="job-detail"),
    path("<uuid:job_id>/status/", views.job_status, name="job-status"),
    path("<uuid:job_id>/download/", views.job_download, name="job-download"),
]
