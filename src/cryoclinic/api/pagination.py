"""Every list endpoint pages the same way: `?limit=&offset=` → {"items", "count"}."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar, overload

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 2**31 - 1

Row = TypeVar("Row")
Out = TypeVar("Out")


class Pagination(LimitOffsetPagination):
    """ninja's limit/offset paging with a bounded limit: a limit above MAX_LIMIT is a 422 naming `limit`."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"at most {MAX_LIMIT}")
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


class Mapped(Sequence[Out], Generic[Row, Out]):
    """A query whose page is converted row by row only after it is sliced (so only one page is read)."""

    def __init__(self, rows: QuerySet[Any] | Sequence[Row], convert: Callable[[Row], Out]) -> None:
        self.rows, self.convert = rows, convert

    def __len__(self) -> int:
        return self.rows.count() if isinstance(self.rows, QuerySet) else len(self.rows)

    @overload
    def __getitem__(self, index: int) -> Out: ...

    @overload
    def __getitem__(self, index: slice) -> list[Out]: ...

    def __getitem__(self, index: int | slice) -> Out | list[Out]:
        if isinstance(index, slice):
            return [self.convert(row) for row in self.rows[index]]
        return self.convert(self.rows[index])
