from django.urls import path

from tidtam.accounts import views

urlpatterns = [
    path("<str:code>/settings/", views.agency_settings, name="agency-settings"),
]
