from django.urls import path

from tidtam.projects import views

urlpatterns = [
    path("new/", views.project_create, name="project-create"),
    path("<str:code>/edit/", views.project_edit, name="project-edit"),
    path("<str:code>/plan/", views.plan_edit, name="project-plan"),
    path("<str:code>/budget/", views.budget_edit, name="project-budget"),
    path(
        "<str:code>/budget/<number:pk>/delete/",
        views.instalment_delete,
        name="instalment-delete",
    ),
]
