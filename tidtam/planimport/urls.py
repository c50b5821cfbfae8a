from django.urls import path, re_path

from tidtam.planimport import views

urlpatterns = [
    path("", views.plan_import, name="plan-import"),
    path("confirm/", views.plan_import_confirm, name="plan-import-confirm"),
    re_path(r"^template\.(?P<fmt>xlsx|zip)$", views.plan_template, name="plan-template"),
    re_path(r"^export\.(?P<fmt>xlsx|zip)$", views.plan_export, name="plan-export"),
]
