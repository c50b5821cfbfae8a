"""How a person is named, everywhere: pages, exports, e-mails, PDFs and the audit trail.

One rule, for users and for the contacts of projects alike:

- nobody (a record whose person is unknown or was removed): an empty string;
- a person whose personal data was erased under the PDPA: a label made from their id and
  nothing else, "เจ้าหน้าที่ #123" / "Officer #123" for a user, "ผู้ติดต่อ #45" / "Contact #45"
  for a contact, in the reader's language;
- anyone else, active or deactivated: their full name, or their username when they have none.
  A person who left keeps their name on what they did.

Templates use the `person` filter (tidtam/lib/templatetags/people.py, a builtin); Python code
calls `person_name`. The erasure actions store the Thai label (`stored_label`) in the
person's name and in every text that named them, so that even a page that read the name
directly would show the label, never the old name.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

# An erased user's username: derived from their id only, so that it is stable and unique.
ERASED_USERNAME = "erased-{id}"


def erased_username(pk: int) -> str:
    return ERASED_USERNAME.format(id=pk)


def user_label(pk: int) -> str:
    return _("Officer #%(number)s") % {"number": pk}


def contact_label(pk: int) -> str:
    return _("Contact #%(number)s") % {"number": pk}


def stored_label(label: Any, pk: int) -> str:
    """The label as it is stored in the database (Thai, the language of the records)."""
    with translation.override("th"):
        return str(label(pk))


def is_erased_user(user: Any) -> bool:
    return user.pk is not None and user.get_username() == erased_username(user.pk)


def is_erased_contact(pk: int | None, name: str) -> bool:
    return pk is not None and name == stored_label(contact_label, pk)


def user_name(user: Any) -> str:
    if user is None:
        return ""
    if is_erased_user(user):
        return user_label(user.pk)
    return str(user.get_full_name() or user.get_username())


def contact_name(pk: int | None, name: str) -> str:
    return contact_label(pk) if pk is not None and is_erased_contact(pk, name) else name


def person_name(who: Any) -> str:
    """The name to show for a user, a contact (anything with `get_username` or `name`), or
    nobody."""
    if who is None or who == "":
        return ""
    if hasattr(who, "get_username"):
        return user_name(who)
    if hasattr(who, "name"):
        return contact_name(getattr(who, "pk", None), who.name)
    return str(who)
