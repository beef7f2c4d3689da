from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cryoclinic.accounts.access import public
from cryoclinic.knowledge import services as knowledge

from .engine import screen
from .forms import SelfCheckForm


@public
@require_http_methods(["GET", "POST"])
def self_check(request: HttpRequest, slug: str) -> HttpResponse:
    """"May I have this?" for anyone: the answers are screened and shown, never stored."""
    try:
        procedure = knowledge.get_procedure(slug)
    except knowledge.UnknownProcedure as exc:
        raise Http404(str(exc)) from exc
    form = SelfCheckForm(procedure, request.POST if request.method == "POST" else None)
    decision = None
    if form.is_valid():
        decision = screen(
            procedure, form.answers(), today=timezone.localdate(),
            last_course_end=form.cleaned_data["last_course_end"],
        )
    status = 422 if request.method == "POST" and not form.is_valid() else 200
    return render(request, "screening/self_check.html", {"procedure": procedure, "form": form, "decision": decision},
                  status=status)
