"""The agency settings form: it cleans the choices; orgs.actions writes them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tidtam.lib.forms import DateField, ModelMultipleChoiceField
from tidtam.orgs.models import Agency, Person


class ContactPublicationForm(forms.Form):
    publish_contact_phones = forms.BooleanField(
        label=_("Publish the phone numbers of all this agency's contacts"),
        required=False,
        help_text=_("When ticked, the public sees every contact's phone number on project pages."),
    )
    public_people = ModelMultipleChoiceField(
        label=_("People whose phone number is public"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("%(value)s is not one of this agency's contacts."),
        },
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        help_text=_("Kept in the agency's history."),
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(agency=agency).order_by("name", "pk")
        self.fields["public_people"].queryset = people  # type: ignore[attr-defined]
        self.initial.setdefault("publish_contact_phones", agency.publish_contact_phones)
        self.initial.setdefault("public_people", [p.pk for p in people if p.phone_public])


class ApiTokenForm(forms.Form):
    """A new personal API token: accounts.actions.create_api_token checks and writes it."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the agency's spreadsheet tool."),
    )
    expires_on = DateField(label=_("Expires on"), help_text=_("At most a year from today."))


class CodeForm(forms.Form):
    """A code of two-factor sign-in: the authenticator's six digits, or a backup code where
    `backup` says so. accounts.two_factor checks it."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
                "class": "code-input",
            }
        ),
    )

    def __init__(self, *args: Any, backup: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if backup:
            field.help_text = _(
                "The six digits your authenticator app shows now, or one of your backup codes "
                "(each works once)."
            )
        else:
            field.help_text = _("The six digits your authenticator app shows now.")
            field.widget.attrs["inputmode"] = "numeric"
