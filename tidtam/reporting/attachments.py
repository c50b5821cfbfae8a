"""What a report attachment may be: a PDF, PNG or JPEG file, told by its first bytes (a name
proves nothing), no larger than the administrator's limit."""

from __future__ import annotations

import unicodedata
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


def max_bytes() -> int:
    return settings.TIDTAM_ATTACHMENT_MAX_MB * 1024 * 1024


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
                "size": f"{size / 1024 / 1024:.1f}",
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
