from django import template
from django.http import HttpRequest
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context: template.Context, code: str) -> str:
    """The current page in another language (the switch keeps the page and its query)."""
    request: HttpRequest = context["request"]
    url = translate_url(request.path, code)
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if query else url
