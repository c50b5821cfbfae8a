from django.urls import path

from tidtam.indicators import views

urlpatterns = [
    path("kpis/", views.kpi_list, name="kpi-list"),
    path("kpis/<str:code>/", views.kpi_detail, name="kpi-detail"),
]
