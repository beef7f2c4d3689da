"""Phone numbers: parsed with `phonenumbers`, Russian numbers by default, stored in E.164."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_REGION = "RU"


def normalize_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """'8 (912) 345-67-89' -> '+79123456789'; raises ValidationError naming what is wrong."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Not a phone number: %(raw)s") % {"raw": raw}, code="invalid") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("%(raw)s is not a valid phone number (for Russia: +7 and ten digits).") % {"raw": raw},
            code="invalid",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    try:
        return phonenumbers.format_number(
            phonenumbers.parse(e164, DEFAULT_REGION), phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
    except phonenumbers.NumberParseException:
        return e164
