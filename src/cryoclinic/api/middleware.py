"""Errors Django answers for the API before ninja sees the request (unknown route, wrong method) in its shape."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .errors import body, detail_for


class ApiErrorShapeMiddleware:
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
        shaped = HttpResponse(
            json.dumps(body(detail_for(response.status_code), "", message)),
            status=response.status_code,
            content_type="application/json; charset=utf-8",
        )
        if response.has_header("Allow"):
            shaped["Allow"] = response["Allow"]
        return shaped
