"""Field types the API shares."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, Field, WithJsonSchema


def _without_offset(value: dt.time) -> dt.time:
    if value.tzinfo is not None:
        raise ValueError("a wall-clock time in the clinic's time zone, without an offset (e.g. 09:30)")
    return value


# JSON Schema's "time" format demands an offset; the clinic's hours are wall-clock times in its own time zone.
LocalTime = Annotated[
    dt.time,
    AfterValidator(_without_offset),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$",
            "description": "wall-clock time in the clinic's time zone, HH:MM[:SS]",
            "example": "09:30",
        }
    ),
]

# A row id as the database stores it (64-bit); a larger number is a 422 naming the field, never a database error.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
