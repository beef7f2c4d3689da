from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from cryoclinic.knowledge import services as knowledge
from cryoclinic.knowledge.schema import ProcedureData, Text

from .errors import ApiError, errors
from .pagination import Mapped, Pagination

router = Router(tags=["knowledge"])


class ProcedureOut(ProcedureData):
    """A procedure's full knowledge, the version it is at and a citation for every source it names."""

    knowledge_version: str
    source_labels: dict[str, Text]


def _out(procedure: ProcedureData) -> ProcedureOut:
    refs = sorted(set(_refs(procedure.model_dump())))
    cite = knowledge.sources().label
    labels = {ref: Text(en=cite(ref, "en"), ru=cite(ref, "ru")) for ref in refs}
    return ProcedureOut(
        **procedure.model_dump(by_alias=True),
        knowledge_version=knowledge.knowledge_version(procedure.slug),
        source_labels=labels,
    )


def _refs(node: object):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


@router.get(
    "", response={200: list[ProcedureOut]} | errors(422), auth=None, by_alias=True, summary="All procedures"
)
@paginate(Pagination)
def list_procedures(request: HttpRequest) -> Mapped[ProcedureData, ProcedureOut]:
    return Mapped(knowledge.list_procedures(), _out)


@router.get(
    "/{slug}", response={200: ProcedureOut} | errors(404, 422), auth=None, by_alias=True, summary="One procedure"
)
def get_procedure(request: HttpRequest, slug: str) -> ProcedureOut:
    try:
        return _out(knowledge.get_procedure(slug))
    except knowledge.UnknownProcedure as exc:
        raise ApiError(404, "slug", str(exc), detail=str(exc)) from exc
