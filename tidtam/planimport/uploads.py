"""An uploaded plan kept between its preview and its confirmation (or its background job),
under MEDIA_ROOT/planimport/, named by a random id the uploader's session holds."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from django.conf import settings

# An upload nobody confirmed is removed when a later one is stored, after this long.
KEEP_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "planimport"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(data: bytes) -> str:
    folder = _folder()
    cutoff = time.time() - KEEP_SECONDS
    for old in folder.glob("*.upload"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    key = secrets.token_hex(16)
    (folder / f"{key}.upload").write_bytes(data)
    return key


def path_of(key: str) -> Path | None:
    if len(key) != 32 or not all(c in "0123456789abcdef" for c in key):
        return None
    path = _folder() / f"{key}.upload"
    return path if path.is_file() else None


def read(key: str) -> bytes | None:
    path = path_of(key)
    return path.read_bytes() if path else None


def remove(key: str) -> None:
    path = path_of(key)
    if path is not None:
        path.unlink(missing_ok=True)
