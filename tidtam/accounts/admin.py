from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tidtam.accounts import actions
from tidtam.accounts.access import access_for
from tidtam.accounts.models import AccountEvent, Membership
from tidtam.accounts.records import records_of, refusal
from tidtam.lib.admin import HistoryAdmin, ReaderValues, ReasonForm, act_with_reason
from tidtam.orgs import actions as org_actions
from tidtam.orgs.admin import PersonAdmin
from tidtam.orgs.models import Agency, Person


class MembershipInline(ReaderValues, admin.TabularInline[Membership, Any]):
    model = Membership
    extra = 1
    autocomplete_fields = ["agency"]


@admin.register(Membership)
class MembershipAdmin(ReaderValues, HistoryAdmin[Membership]):
    list_display = ["user", "role", "agency", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "agency__code", "agency__name_th"]
    list_select_related = ["user", "agency"]
    autocomplete_fields = ["user", "agency"]


@admin.register(AccountEvent)
class AccountEventAdmin(ReaderValues, HistoryAdmin[AccountEvent]):
    """Read only: written by the actions of the user list."""

    list_display = ["user", "change", "agency", "reason", "created_at"]
    list_filter = ["change"]
    list_select_related = ["user", "agency"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MoveForm(ReasonForm):
    agency = forms.ModelChoiceField(label=_("New agency"), queryset=Agency.objects.all())
    field_order = ["agency", "reason"]


class LostPhoneForm(ReasonForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the history. Make sure the request comes from the person themselves."),
    )


User = get_user_model()
admin.site.unregister(User)
# A person's authenticator key and backup codes are theirs alone: the admin neither lists nor
# edits them; it resets them with the action of the user list (accounts.actions).
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


def _administrator(request: HttpRequest) -> bool:
    if access_for(request.user).administrator:
        return True
    messages.error(
        request,
        _("Only an administrator deactivates, moves or erases people, or resets their sign-in."),
    )
    return False


@admin.action(description=_("Deactivate (the person left)"))
def deactivate(
    model_admin: Any, request: HttpRequest, queryset: QuerySet[Any]
) -> TemplateResponse | None:
    if not _administrator(request):
        return None
    return act_with_reason(
        model_admin,
        request,
        queryset,
        title=str(_("Deactivate")),
        apply=lambda user, data: actions.deactivate_user(
            user=user, by=request.user, reason=data["reason"]
        ),
        done=str(_("%(who)s was deactivated: signed out, roles ended, records kept.")),
    )


@admin.action(description=_("Move to another agency"))
def move_to_agency(
    model_admin: Any, request: HttpRequest, queryset: QuerySet[Any]
) -> TemplateResponse | None:
    if not _administrator(request):
        return None
    return act_with_reason(
        model_admin,
        request,
        queryset,
        title=str(_("Move to another agency")),
        form_class=MoveForm,
        apply=lambda user, data: actions.move_to_agency(
            user=user, agency=data["agency"], by=request.user, reason=data["reason"]
        ),
        done=str(_("%(who)s now works for the new agency.")),
    )


@admin.action(description=_("Erase personal data (PDPA request)"))
def erase_personal_data(
    model_admin: Any, request: HttpRequest, queryset: QuerySet[Any]
) -> TemplateResponse | None:
    if not _administrator(request):
        return None
    return act_with_reason(
        model_admin,
        request,
        queryset,
        title=str(_("Erase personal data")),
        apply=lambda user, data: actions.erase_personal_data(
            user=user, by=request.user, reason=data["reason"]
        ),
        done=str(_("The personal data of %(who)s were erased.")),
    )


@admin.action(description=_("Reset two-factor sign-in (lost phone)"))
def reset_two_factor(
    model_admin: Any, request: HttpRequest, queryset: QuerySet[Any]
) -> TemplateResponse | None:
    if not _administrator(request):
        return None
    return act_with_reason(
        model_admin,
        request,
        queryset,
        title=str(_("Reset two-factor sign-in")),
        form_class=LostPhoneForm,
        apply=lambda user, data: actions.reset_two_factor(
            user=user, by=request.user, reason=data["reason"]
        ),
        done=str(
            _("The two-factor sign-in of %(who)s was reset: they sign in with their password.")
        ),
    )


@admin.register(User)
class TidtamUserAdmin(ReaderValues, UserAdmin[Any]):
    inlines = [MembershipInline]
    actions = [deactivate, move_to_agency, erase_personal_data, reset_two_factor]

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        """A person with records is never deleted: the confirmation page lists why, as Django
        lists the protected records of any deletion, and offers no button."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        refusals = [refusal(user, kinds) for user in objs if (kinds := records_of(user))]
        return deleted, counts, perms_needed, [*protected, *refusals]


@admin.action(description=_("Erase personal data (PDPA request)"))
def erase_contact(
    model_admin: Any, request: HttpRequest, queryset: QuerySet[Any]
) -> TemplateResponse | None:
    if not _administrator(request):
        return None
    return act_with_reason(
        model_admin,
        request,
        queryset,
        title=str(_("Erase personal data")),
        apply=lambda person, data: org_actions.erase_contact(
            person=person, by=request.user, reason=data["reason"]
        ),
        done=str(_("The personal data of %(who)s were erased.")),
    )


# The contacts of projects are erased by administrators, whose role accounts knows (orgs does
# not import accounts): their admin gains the action here, as the user admin is replaced above.
admin.site.unregister(Person)


@admin.register(Person)
class ContactAdmin(PersonAdmin):
    actions = [erase_contact]
