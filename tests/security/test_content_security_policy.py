"""A Content-Security-Policy on every response, with no inline script or style: the policy allows this site's
own files only, and no template holds an inline script, style or event handler that the policy would block.
Every page of the access matrix, as every role, is checked for the header in tests/accounts/test_access_matrix.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import cryoclinic

pytestmark = pytest.mark.django_db

SRC = Path(cryoclinic.__file__).parent
# Rendered to PDF by WeasyPrint, never sent to a browser (ops/documents.py): its <style> is not a page's.
PDF_ONLY = {"screening/_document_base.html"}


def policy_of(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def test_the_policy_allows_this_site_only_and_nothing_inline(client):
    policy = policy_of(client.get("/en/"))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)


def test_errors_files_and_the_api_carry_it_too(client):
    for url in ("/en/no-such-page/", "/static/cryoclinic/site.css", "/api/procedures", "/api/no-such"):
        assert "default-src 'self'" in client.get(url).headers.get("Content-Security-Policy", ""), url


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "an inline event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def _templates() -> list[Path]:
    return sorted(SRC.rglob("templates/**/*.html"))


def test_no_template_holds_inline_script_or_style():
    found = []
    for path in _templates():
        if any(path.as_posix().endswith("templates/" + pdf) for pdf in PDF_ONLY):
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(SRC)}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert found == []


def test_the_scan_would_find_an_inline_script():
    assert any(pattern.search('<p style="color:red">') for pattern, _ in INLINE)
    assert any(pattern.search("<script>alert(1)</script>") for pattern, _ in INLINE)
    assert not any(pattern.search('<script src="/static/x.js" defer></script>') for pattern, _ in INLINE)


def test_server_drawn_charts_style_nothing_inline():
    for path in SRC.rglob("*.py"):
        assert not re.search(r"\sstyle=", path.read_text(encoding="utf-8")), path
