"""What Django answers for the API before ninja sees the request, in the API's error body."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from django.http import HttpRequest, HttpResponse

from .errors import body, detail_for

NUL = "\x00"


def _json_response(status: int, field: str, message: str) -> HttpResponse:
    content = json.dumps(body(detail_for(status), field, message))
    return HttpResponse(content, status=status, content_type="application/json; charset=utf-8")


class ApiErrorShapeMiddleware:
    """An unknown route (404) or a wrong method (405) gets the error body too, not Django's HTML page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or not 400 <= response.status_code < 500:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        if response.status_code == 404:
            message = f"No API route {request.path}; the routes are listed at /api/docs."
        elif response.status_code == 405:
            message = f"{request.method} is not allowed here; allowed: {response.get('Allow', 'none')}."
        else:
            message = response.reason_phrase
        shaped = _json_response(response.status_code, "", message)
        if response.has_header("Allow"):
            shaped["Allow"] = response["Allow"]
        return shaped


def _nul_fields(value: object, field: str = "") -> Iterator[str]:
    if isinstance(value, str):
        if NUL in value:
            yield field
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{field}.{key}" if field else str(key)
            if NUL in str(key):
                yield name
            yield from _nul_fields(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_fields(item, f"{field}.{index}" if field else str(index))


class RefuseNulCharactersMiddleware:
    """A NUL character in any API input is a 422 naming the field (PostgreSQL cannot store or compare it).

    Django's forms refuse it for the pages (ProhibitNullCharactersValidator); this does the same for the API."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            field = self._field_with_nul(request)
            if field is not None:
                return _json_response(422, field, "A NUL character (\\u0000) is not allowed.")
        return self.get_response(request)

    @staticmethod
    def _field_with_nul(request: HttpRequest) -> str | None:
        if NUL in request.path:
            return "path"
        for key, values in request.GET.lists():
            if NUL in key or any(NUL in value for value in values):
                return key
        if b"\\u0000" not in request.body and b"\x00" not in request.body:
            return None
        try:
            data = json.loads(request.body)
        except ValueError:
            return "body"
        return next(_nul_fields(data), None)
