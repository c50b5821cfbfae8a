from django.urls import path

from tidtam.indicators import views

urlpatterns = [
    path("kpis/new/", views.kpi_create, name="kpi-create"),
    path("kpis/<str:code>/", views.kpi_detail, name="kpi-detail"),
    path("kpis/<str:code>/<number:year>/edit/", views.kpi_edit, name="kpi-edit"),
    path(
        "kpis/<str:code>/<number:year>/q<number:number>/result/",
        views.kpi_result_entry,
        name="kpi-result-entry",
    ),
    path(
        "kpis/<str:code>/<number:year>/q<number:number>/result/submit/",
        views.kpi_result_submit,
        name="kpi-result-submit",
    ),
    path(
        "kpis/<str:code>/<number:year>/q<number:number>/result/approve/",
        views.kpi_result_approve,
        name="kpi-result-approve",
    ),
    path(
        "kpis/<str:code>/<number:year>/q<number:number>/result/return/",
        views.kpi_result_return,
        name="kpi-result-return",
    ),
    path(
        "kpis/<str:code>/<number:year>/q<number:number>/scores/",
        views.kpi_score_entry,
        name="kpi-score-entry",
    ),
    path(
        "evaluations/<str:code>/q<number:number>/",
        views.project_score_entry,
        name="project-score-entry",
    ),
    path("quarters/", views.quarter_list, name="quarter-list"),
    path(
        "quarters/<number:year>/q<number:number>/close/", views.quarter_close, name="quarter-close"
    ),
]
