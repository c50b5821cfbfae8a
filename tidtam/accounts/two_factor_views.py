"""Two-factor sign-in: the sign-in with its code step (the site's and the admin's), and a
person's own page to turn it on, turn it off and renew their backup codes.

A right password of a person with two-factor sign-in only notes, in the (still anonymous)
session, who is signing in; the code step signs them in (`login`, then django-otp's
`otp_login`, which makes `user.is_verified()` true for the session). Until then nothing is
signed in: no page can be reached halfway. A wrong code counts toward django-axes' lockout
as a wrong password does, and django-otp throttles each device.
"""

from __future__ import annotations

import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from tidtam.accounts import actions, two_factor
from tidtam.accounts.forms import CodeForm
from tidtam.accounts.views import locked_out
from tidtam.lib.web import show_refusal

# Who is signing in, between the password and the code; and the key being set up.
PENDING = "tidtam_two_factor_pending"
SETUP_KEY = "tidtam_two_factor_key"
# The code step must follow the password within this many seconds.
PENDING_SECONDS = 5 * 60


class SignInView(LoginView):
    """Django's sign-in, asking a person who turned two-factor sign-in on for a code next."""

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not two_factor.has_two_factor(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,  # type: ignore[attr-defined]
            "since": int(time.time()),
            "next": self.get_success_url(),
        }
        return redirect("two-factor-code")


@never_cache
def admin_sign_in(request: HttpRequest) -> HttpResponseBase:
    """The admin's sign-in page (in place of AdminSite.login, which signs in at once), with the
    same code step."""
    site = admin.site
    if request.method == "GET" and site.has_permission(request):
        return redirect("admin:index")
    context: dict[str, Any] = {
        **site.each_context(request),
        "title": _("Sign in"),
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
    }
    if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
        context[REDIRECT_FIELD_NAME] = reverse("admin:index")
    request.current_app = site.name
    view = SignInView.as_view(
        extra_context=context,
        authentication_form=AdminAuthenticationForm,
        template_name="admin/login.html",
        next_page=reverse("admin:index"),
    )
    return view(request)


def _pending_user(request: HttpRequest) -> tuple[Any, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("since", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    key = pending.get("user")
    user = get_user_model().objects.filter(pk=key, is_active=True).first() if key else None
    return (user, pending) if user is not None else None


def _locked(request: HttpRequest) -> HttpResponse:
    request.session.pop(PENDING, None)
    return locked_out(request)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def code_step(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code of the person's authenticator or a backup code."""
    found = _pending_user(request)
    if found is None:
        messages.info(request, _("Please sign in with your password first."))
        return redirect("login")
    user, pending = found
    form = CodeForm(request.POST if request.method == "POST" else None, backup=True)
    if request.method == "POST" and form.is_valid():
        credentials = {"username": user.get_username()}
        if AxesProxyHandler.is_locked(request, credentials):
            return _locked(request)
        device = two_factor.check_code(user, form.cleaned_data["code"])
        if device is None:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                return _locked(request)
            form.add_error("code", two_factor.WRONG_CODE)
        else:
            del request.session[PENDING]
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return redirect(pending["next"])
    return render(request, "registration/two_factor_code.html", {"form": form})


@login_required
def two_factor_page(request: HttpRequest) -> HttpResponse:
    """Whether the person's two-factor sign-in is on, and what they can do about it."""
    user = request.user
    context = {
        "on": two_factor.has_two_factor(user),
        "required": two_factor.required_for(user),
        "backup_left": two_factor.backup_codes_left(user),
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in on: the key as a QR code and as text, then a code to confirm."""
    user = request.user
    if two_factor.has_two_factor(user):
        messages.info(request, _("Two-factor sign-in is already on."))
        return redirect("two-factor")
    key = request.session.get(SETUP_KEY)
    if not isinstance(key, str) or len(key) != 2 * two_factor.KEY_BYTES:
        key = request.session[SETUP_KEY] = two_factor.new_key()
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = actions.enable_two_factor(
                user=user,
                key=key,
                code=form.cleaned_data["code"],
                by=user,
                session_key=request.session.session_key,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            del request.session[SETUP_KEY]
            otp_login(request, device)
            messages.success(request, _("Two-factor sign-in is on."))
            return render(request, "accounts/two_factor_codes.html", {"codes": codes})
    context = {
        "form": form,
        "qr": two_factor.qr_svg(
            two_factor.setup_uri(user, key), title=_("QR code for your authenticator app")
        ),
        "key": two_factor.base32_key(key),
        "required": two_factor.required_for(user),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in off, with a current code."""
    user = request.user
    if not two_factor.has_two_factor(user):
        return redirect("two-factor")
    form = CodeForm(request.POST if request.method == "POST" else None, backup=True)
    if request.method == "POST" and form.is_valid():
        try:
            actions.disable_two_factor(user=user, code=form.cleaned_data["code"], by=user)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("two-factor")
    context = {"form": form, "required": two_factor.required_for(user)}
    return render(request, "accounts/two_factor_disable.html", context)


@login_required
@require_POST
def two_factor_backup_codes(request: HttpRequest) -> HttpResponse:
    """Ten new backup codes in place of the old ones, shown once."""
    try:
        codes = actions.renew_backup_codes(user=request.user, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("two-factor")
    messages.success(request, _("Your new backup codes replace the old ones."))
    return render(request, "accounts/two_factor_codes.html", {"codes": codes})
