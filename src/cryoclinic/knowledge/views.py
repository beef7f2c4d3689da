from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from cryoclinic.accounts.access import public

from . import services


@public
@require_GET
def procedure_list(request: HttpRequest) -> HttpResponse:
    return render(request, "knowledge/procedure_list.html", {"procedures": services.list_procedures()})


@public
@require_GET
def procedure_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        procedure = services.get_procedure(slug)
    except services.UnknownProcedure as exc:
        raise Http404(str(exc)) from exc
    return render(
        request,
        "knowledge/procedure_detail.html",
        {
            "procedure": procedure,
            "language": get_language(),
            "sources": services.sources(),
            "knowledge_version": services.knowledge_version(slug),
        },
    )
