"""What a report attachment may be: a PDF, PNG or JPEG file, told by its first bytes (a name
proves nothing), no larger than the administrator's limit; and how many files, of how many
megabytes in all, one report may hold."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    extensions: tuple[str, ...]
    magic: bytes


PDF = FileKind("application/pdf", ".pdf", (".pdf",), b"%PDF-")
PNG = FileKind("image/png", ".png", (".png",), b"\x89PNG\r\n\x1a\n")
JPEG = FileKind("image/jpeg", ".jpg", (".jpg", ".jpeg"), b"\xff\xd8\xff")
KINDS = (PDF, PNG, JPEG)
ACCEPT = ",".join(ext for kind in KINDS for ext in kind.extensions)
# Enough to tell every accepted kind apart.
HEAD_BYTES = 16
NAME_LIMIT = 255


MB = 1024 * 1024


def max_bytes() -> int:
    return settings.TIDTAM_ATTACHMENT_MAX_MB * MB


def _mb(size: int) -> str:
    return f"{size / MB:.1f}"


def room_errors(attached: Sequence[int], sizes: Sequence[int]) -> list[str]:
    """What is wrong with adding files of these sizes to a report already holding files of the
    `attached` sizes: at most TIDTAM_ATTACHMENTS_PER_REPORT files and
    TIDTAM_ATTACHMENTS_TOTAL_MB megabytes in all, counting the files already attached. The
    files are taken all or none: a save that would pass a limit keeps none of them.

    For example, with limits of 10 files and 50 MB, a report holding 2 files of 20 MB in all
    takes 3 files of 10 MB (50 MB in all) but not 4 (60 MB)."""
    if not sizes:
        return []
    errors = []
    most = settings.TIDTAM_ATTACHMENTS_PER_REPORT
    if len(attached) + len(sizes) > most:
        errors.append(
            _(
                "A report may hold at most %(max)s files: it holds %(kept)s and %(sent)s were "
                "sent. No file was saved."
            )
            % {"max": most, "kept": len(attached), "sent": len(sizes)}
        )
    total_mb = settings.TIDTAM_ATTACHMENTS_TOTAL_MB
    if sum(attached) + sum(sizes) > total_mb * MB:
        errors.append(
            _(
                "A report's files may add up to at most %(max)s MB: it holds %(kept)s MB and "
                "the files sent add %(sent)s MB. No file was saved."
            )
            % {"max": total_mb, "kept": _mb(sum(attached)), "sent": _mb(sum(sizes))}
        )
    return errors


def clean_name(name: str) -> str:
    """The file's own name, without any folder a browser sent, control characters or excess
    length (the extension is kept)."""
    base = PurePosixPath(PureWindowsPath(name).name).name
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    base = unicodedata.normalize("NFC", base) or "file"
    if len(base) > NAME_LIMIT:
        suffix = PurePosixPath(base).suffix[:16]
        base = base[: NAME_LIMIT - len(suffix)] + suffix
    return base


def kind_of(head: bytes) -> FileKind | None:
    return next((kind for kind in KINDS if head.startswith(kind.magic)), None)


def check_file(name: str, head: bytes, size: int) -> FileKind:
    """The kind of an uploaded file, or a ValidationError saying in a sentence what is wrong."""
    extension = PurePosixPath(name.lower()).suffix
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    if size > max_bytes():
        raise ValidationError(
            _("“%(name)s” is %(size)s MB; a file may be at most %(max)s MB.")
            % {
                "name": name,
                "size": _mb(size),
                "max": settings.TIDTAM_ATTACHMENT_MAX_MB,
            },
            code="too_large",
        )
    if not any(extension in kind.extensions for kind in KINDS):
        raise ValidationError(
            _("“%(name)s” is not a PDF, PNG or JPEG file: only these may be attached.")
            % {"name": name},
            code="type",
        )
    kind = kind_of(head)
    if kind is None or extension not in kind.extensions:
        raise ValidationError(
            _(
                "The content of “%(name)s” is not what its name says: only real PDF, PNG or "
                "JPEG files may be attached."
            )
            % {"name": name},
            code="content",
        )
    return kind
