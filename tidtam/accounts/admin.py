from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from tidtam.accounts.models import Membership
from tidtam.lib.admin import ReaderValues


class MembershipInline(ReaderValues, admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["agency"]


@admin.register(Membership)
class MembershipAdmin(ReaderValues, SimpleHistoryAdmin):
    list_display = ["user", "role", "agency", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "agency__code", "agency__name_th"]
    list_select_related = ["user", "agency"]
    autocomplete_fields = ["user", "agency"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class TidtamUserAdmin(ReaderValues, UserAdmin):
    inlines = [MembershipInline]
