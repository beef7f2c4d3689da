"""The two content languages: every bilingual text (knowledge base, dose data, exports) has a Russian and an
English version, and the active Django language picks one (Russian unless English is asked for)."""

from __future__ import annotations

from django.utils.translation import get_language


def content_language() -> str:
    """"ru" or "en" for the active language."""
    return "ru" if (get_language() or "ru").startswith("ru") else "en"
