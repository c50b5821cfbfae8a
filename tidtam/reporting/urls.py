from django.urls import path

from tidtam.reporting import views

urlpatterns = [
    path("projects/<str:code>/reports/new/", views.report_new, name="report-new"),
    path("reports/<number:pk>/", views.report_detail, name="report-detail"),
    path("reports/<number:pk>/edit/", views.report_edit, name="report-edit"),
    path("reports/<number:pk>/submit/", views.report_submit, name="report-submit"),
    path("reports/<number:pk>/approve/", views.report_approve, name="report-approve"),
    path("reports/<number:pk>/return/", views.report_return, name="report-return"),
    path("reports/<number:pk>/delete/", views.report_delete, name="report-delete"),
    path(
        "reports/<number:pk>/attachments/<number:attachment_pk>/",
        views.attachment_download,
        name="report-attachment",
    ),
    path(
        "reports/<number:pk>/attachments/<number:attachment_pk>/delete/",
        views.attachment_delete,
        name="report-attachment-delete",
    ),
    path("agencies/<str:code>/compliance/", views.compliance, name="agency-compliance"),
    path("agencies/<str:code>/monthly/", views.monthly_entry, name="agency-monthly"),
    path(
        "agencies/<str:code>/monthly/<str:project_code>/",
        views.monthly_row,
        name="agency-monthly-row",
    ),
    path("compliance/", views.city_compliance_page, name="city-compliance"),
    path("problems/", views.problems, name="problems"),
]
