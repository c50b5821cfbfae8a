"""A PDPA erasure request, carried out by an administrator from the command line.

    manage.py erase_personal_data --user 123 --by admin --reason "คำขอลบข้อมูล ลงวันที่ ..."
    manage.py erase_personal_data --contact 45 --by admin --reason "..."

The same actions as the admin site's "Erase personal data": the person becomes
"เจ้าหน้าที่ #123" (a contact "ผู้ติดต่อ #45") everywhere, and the erasure is recorded with the
reason and the administrator's name.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidtam.accounts.access import access_for
from tidtam.accounts.actions import erase_personal_data
from tidtam.lib.people import person_name
from tidtam.orgs.actions import erase_contact
from tidtam.orgs.models import Person


class Command(BaseCommand):
    help = "Erase a user's or a project contact's personal data (a PDPA request)."

    def add_arguments(self, parser: CommandParser) -> None:
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--user", type=int, help="the id of the user to erase")
        who.add_argument("--contact", type=int, help="the id of the project contact to erase")
        parser.add_argument("--by", required=True, help="the username of the administrator")
        parser.add_argument("--reason", required=True, help="why (the request and its date)")

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model()
        by = users.objects.filter(username=options["by"], is_active=True).first()
        if by is None or not access_for(by).administrator:
            raise CommandError(f"{options['by']} is not an active administrator")
        try:
            if options["user"] is not None:
                user = users.objects.filter(pk=options["user"]).first()
                if user is None:
                    raise CommandError(f"no user with id {options['user']}")
                erase_personal_data(user=user, by=by, reason=options["reason"])
                erased: Any = user
            else:
                person = Person.objects.filter(pk=options["contact"]).first()
                if person is None:
                    raise CommandError(f"no contact with id {options['contact']}")
                erased = erase_contact(person=person, by=by, reason=options["reason"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"erased: now {person_name(erased)}")
