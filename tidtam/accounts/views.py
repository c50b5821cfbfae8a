"""An agency's own settings page (which contact details the public sees) and a person's own
API tokens."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tidtam.accounts import actions
from tidtam.accounts.access import get_agency_for_manager, get_own_token
from tidtam.accounts.forms import ApiTokenForm, ContactPublicationForm
from tidtam.accounts.models import ApiToken
from tidtam.lib.web import show_refusal


@login_required
@require_http_methods(["GET", "POST"])
def agency_settings(request: HttpRequest, code: str) -> HttpResponse:
    agency = get_agency_for_manager(request.user, code)
    form = ContactPublicationForm(request.POST if request.method == "POST" else None, agency=agency)
    if request.method == "POST" and form.is_valid():
        try:
            changes = actions.set_contact_publication(
                agency=agency,
                publish_phones=form.cleaned_data["publish_contact_phones"],
                public_people=[person.pk for person in form.cleaned_data["public_people"]],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            if changes.any:
                messages.success(request, _("The publication settings were saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("agency-settings", code=agency.code)
    return render(request, "orgs/agency_settings.html", {"agency": agency, "form": form})


def locked_out(
    request: HttpRequest, credentials: object = None, *args: object, **kwargs: object
) -> HttpResponse:
    """django-axes' answer to a locked sign-in (its AXES_LOCKOUT_CALLABLE), the same for an
    unknown account as for a known one."""
    minutes = settings.AXES_COOLOFF_TIME // timedelta(minutes=1)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The person's own API tokens; a new one is shown once, on the page that creates it."""
    today = timezone.localdate()
    form = ApiTokenForm(
        request.POST if request.method == "POST" else None,
        initial={"expires_on": today + timedelta(days=90)},
    )
    created: tuple[ApiToken, str] | None = None
    now = timezone.now()
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.create_api_token(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_on=form.cleaned_data["expires_on"],
                by=request.user,
                today=today,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            form = ApiTokenForm(initial={"expires_on": today + timedelta(days=90)})
    context = {
        "form": form,
        "tokens": [(t, t.state(now)) for t in ApiToken.objects.of(request.user)],
        "created": created[0] if created else None,
        "secret": created[1] if created else "",
    }
    return render(request, "accounts/api_tokens.html", context)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_own_token(request.user, pk)
    actions.revoke_api_token(token=token, by=request.user)
    messages.success(request, _("The token %(name)s was revoked.") % {"name": token.name})
    return redirect("api-tokens")
