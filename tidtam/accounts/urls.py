from django.urls import include, path

from tidtam.accounts import two_factor_views, views

urlpatterns = [
    path("tokens/", views.api_tokens, name="api-tokens"),
    path("tokens/<int:pk>/revoke/", views.api_token_revoke, name="api-token-revoke"),
    path("two-factor/", two_factor_views.two_factor_page, name="two-factor"),
    path("two-factor/on/", two_factor_views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/off/", two_factor_views.two_factor_disable, name="two-factor-disable"),
    path(
        "two-factor/backup-codes/",
        two_factor_views.two_factor_backup_codes,
        name="two-factor-backup-codes",
    ),
    # Before Django's own sign-in at the same address: ours asks for a code next.
    path("login/", two_factor_views.SignInView.as_view(), name="login"),
    path("login/code/", two_factor_views.code_step, name="two-factor-code"),
    path("", include("django.contrib.auth.urls")),
]
