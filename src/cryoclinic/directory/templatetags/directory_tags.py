"""A salon's name and address in the page's language."""

from django import template
from django.utils.translation import get_language

from cryoclinic.directory.models import City, Salon

register = template.Library()


@register.simple_tag
def salon_name(salon: Salon) -> str:
    return salon.name_in(get_language() or "ru")


@register.simple_tag
def salon_address(salon: Salon) -> str:
    return salon.address_in(get_language() or "ru")


@register.filter
def city_name(city: City, language: str) -> str:
    return city.name(language)
