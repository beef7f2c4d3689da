from django import template
from django.utils.translation import get_language

from cryoclinic.knowledge import services
from cryoclinic.knowledge.schema import Text

register = template.Library()


@register.filter
def tr(text: Text | dict[str, str] | None) -> str:
    """The text in the page's language; also for texts stored as {"en", "ru"} in records."""
    if text is None:
        return ""
    language = get_language() or "ru"
    if isinstance(text, dict):
        return text.get("ru" if language.startswith("ru") else "en", "")
    return text.get(language)


@register.filter
def source_label(ref: str) -> str:
    return services.sources().label(ref, get_language() or "ru", short=True)


@register.simple_tag
def seed_title() -> str:
    return services.sources().seed_title.get(get_language() or "ru")


@register.filter
def kind_label(kind: str) -> str:
    ru = get_language() == "ru"
    labels = {
        "absolute": ("абсолютное", "absolute"),
        "temporary": ("временное", "temporary"),
        "caution": ("с осторожностью", "caution"),
    }
    pair = labels.get(kind, (kind, kind))
    return pair[0] if ru else pair[1]
