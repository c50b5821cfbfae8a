"""Thai first: the reader's own choice (the language cookie) wins, never the browser's default."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class ThaiFirstLocaleMiddleware:
    """Like Django's LocaleMiddleware without Accept-Language: a city's public pages are Thai
    unless the reader switches, whatever language their browser was installed in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        translation.deactivate()
        return response


def named(th: str, en: str, lang: str) -> str:
    """A name in the reader's language: the English one when read in English and there is
    one, the Thai one otherwise (a Thai name is always there)."""
    return en if lang == "en" and en else th


class Named(Protocol):
    """A record with a Thai name and, perhaps, an English one."""

    name_th: str
    name_en: str


def name_of(record: Named, lang: str) -> str:
    """The record's name in the reader's language (see `named`)."""
    return named(record.name_th, record.name_en, lang)


def current_language() -> str:
    """The reader's language as the Thai helpers take it: "en" or "th"."""
    return "en" if (translation.get_language() or "th").startswith("en") else "th"


def requested_language(request: HttpRequest) -> str:
    """The language a program asks for: `?lang=` first, then the reader's cookie or the
    Accept-Language header (a program has no language switch to press), Thai otherwise."""
    asked = request.GET.get("lang", "")
    if asked in {code for code, _ in settings.LANGUAGES}:
        return asked
    return translation.get_language_from_request(request)
