"""Audited writes on agencies, units and people, and the reference-data loader."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from tidtam.audit import write
from tidtam.audit.erase import erasure_reason, replace_everywhere
from tidtam.audit.published import published_data_changed
from tidtam.audit.write import REASON_LIMIT, Actor, action, checked_action
from tidtam.lib.people import contact_label, stored_label
from tidtam.lib.thai import fold_thai, normalise_thai, truncate
from tidtam.orgs.models import Agency, AgencyKind, DistrictGroup, Origin, Person, Unit


def agency_name_values(name: str) -> dict[str, str]:
    """The stored name of an agency and its matching key, from a name as any source spells it:
    every path that stores an agency's name goes through here, so that a name typed with SARA
    AM as NIKHAHIT + SARA AA (or a stray zero-width space) is the same name."""
    return {"name_th": fold_thai(name), "name_key": normalise_thai(name)}


@dataclass
class LoadCounts:
    created: int = 0
    updated: int = 0


@action
def load_agencies(path: Path, *, by: Actor = None) -> LoadCounts:
    """Load agencies.csv (code, name_th, kind, district_group); running it twice changes nothing."""
    published_data_changed()  # the pages name agencies
    counts = LoadCounts()
    reason = f"reference data: {path.name}"
    groups = {fold_thai(g.name_th): g for g in DistrictGroup.objects.all()}
    agencies = {a.code: a for a in Agency.objects.all()}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            group = None
            group_name = fold_thai(row.get("district_group") or "")
            if group_name:
                group = groups.get(group_name)
                if group is None:
                    group = groups[group_name] = DistrictGroup.objects.create(name_th=group_name)
            values = {
                **agency_name_values(row["name_th"]),
                "kind": AgencyKind(row["kind"].strip()),
                "district_group": group,
            }
            agency = agencies.get(row["code"].strip())
            if agency is None:
                write.save(
                    Agency(code=row["code"].strip(), origin=Origin.REFERENCE, **values),
                    by=by,
                    reason=reason,
                )
                counts.created += 1
            elif agency.origin == Origin.IMPORT or write.assign(agency, values):
                # An agency first met in an imported page becomes reference data once listed.
                write.assign(agency, {**values, "origin": Origin.REFERENCE})
                write.save(agency, by=by, reason=reason)
                counts.updated += 1
    return counts


@action
def ensure_agency(*, code: str, name: str, by: Actor, reason: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is not None:
        return agency
    kind = AgencyKind.DISTRICT_OFFICE if code.startswith("50") else AgencyKind.DEPARTMENT
    return write.save(
        Agency(
            code=code,
            **agency_name_values(name),
            kind=kind,
            origin=Origin.IMPORT,
        ),
        by=by,
        reason=reason,
    )


@action
def ensure_unit(*, agency: Agency, code: str, by: Actor, reason: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is not None:
        return unit
    return write.save(Unit(agency=agency, code=code, origin=Origin.IMPORT), by=by, reason=reason)


@action
def ensure_person(*, agency: Agency, name: str, phone: str, by: Actor, reason: str) -> Person:
    person = Person.objects.filter(agency=agency, name=name, phone=phone).first()
    if person is not None:
        return person
    return write.save(Person(agency=agency, name=name, phone=phone), by=by, reason=reason)


@checked_action
def erase_contact(*, person: Person, by: Actor, reason: str) -> Person:
    """A PDPA erasure request from a project's contact (someone who is not a user): their name
    becomes "ผู้ติดต่อ #<id>" ("Contact #<id>") and their phone number and e-mail address are
    removed, in the contact, in its history and in every text that quoted them. The projects
    keep the contact; the erasure is recorded in the contact's history with its reason, which
    must not repeat what is erased."""
    label = stored_label(contact_label, person.pk)
    if person.name == label:
        raise ValidationError(_("This person's data has already been erased."), code="erased")
    names = [n for n in (person.name, person.phone, person.email) if n.strip()]
    text = erasure_reason(reason, names)
    # Other contacts keep their own details, even equal ones (an office's shared number).
    own = Q(id=person.pk)
    erased = replace_everywhere(names, label, only={Person: own, Person.history.model: own})
    person.refresh_from_db()
    write.assign(person, {"name": label, "phone": "", "email": "", "phone_public": False})
    audit_reason = _("personal data erased: %(reason)s") % {"reason": text}
    write.save(person, by=by, reason=truncate(audit_reason, REASON_LIMIT))
    contact_of = person.project_roles.values_list("project_id", flat=True)
    write.facts_changed(projects=erased.projects | set(contact_of))
    return person
