from django.contrib import admin
from django.urls import include, path, re_path

from tidtam.accounts.two_factor_views import admin_sign_in
from tidtam.api.site import api
from tidtam.dashboards import book_views, exports, flagged, history, kpis
from tidtam.dashboards import views as pages

urlpatterns = [
    path("", pages.home, name="home"),
    re_path(
        r"^dashboard/(?P<table>[a-z]+)\.(?P<fmt>csv|xlsx)$",
        pages.dashboard_export,
        name="dashboard-export",
    ),
    path("projects/", pages.project_list, name="project-list"),
    # Before projects/<str:code>/: "export.csv" is not a project code.
    re_path(r"^projects/export\.(?P<fmt>csv|xlsx)$", exports.project_export, name="project-export"),
    path("projects/", include("tidtam.projects.urls")),
    path("projects/<str:code>/", pages.project_detail, name="project-detail"),
    path("projects/<str:code>/history/", history.project_history, name="project-history"),
    path("projects/<str:code>/print/", pages.project_print, name="project-print"),
    path("projects/<str:code>/print.pdf", pages.project_print_pdf, name="project-print-pdf"),
    path("kpis/", kpis.kpi_list, name="kpi-list"),
    re_path(r"^kpis/export\.(?P<fmt>csv|xlsx)$", exports.kpi_export, name="kpi-export"),
    path("", include("tidtam.indicators.urls")),
    path("flags/", flagged.flag_list, name="flags"),
    path("search/", include("tidtam.search.urls")),
    path("", include("tidtam.opendata.urls")),
    re_path(r"^flags/export\.(?P<fmt>csv|xlsx)$", exports.flag_export, name="flag-export"),
    path("jobs/", include("tidtam.jobs.urls")),
    path("plans/import/", include("tidtam.planimport.urls")),
    path("books/agency/<str:code>/<int:year>/", book_views.agency_book, name="book-agency"),
    path("books/plan/<int:node>/<int:year>/", book_views.plan_book, name="book-plan"),
    path("books/kpis/<str:code>/<int:year>/", book_views.kpi_book, name="book-kpis"),
    path("", include("tidtam.reporting.urls")),
    path("me/", pages.my_work, name="my-work"),
    path("review/", pages.review_queue, name="review-queue"),
    path("agencies/", include("tidtam.accounts.agency_urls")),
    path("audit/memberships/", history.membership_history, name="membership-history"),
    path("accounts/", include("tidtam.accounts.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the admin's own sign-in at the same address: ours asks for a code next.
    path("admin/login/", admin_sign_in, name="admin-sign-in"),
    path("admin/", admin.site.urls),
]
