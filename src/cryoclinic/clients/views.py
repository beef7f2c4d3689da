from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cryoclinic.accounts import audit
from cryoclinic.accounts.access import roles_required
from cryoclinic.accounts.roles import ADMIN, CLIENT, PRACTITIONER, RECEPTION
from cryoclinic.knowledge import services as knowledge

from . import services
from .forms import OwnRecordForm
from .models import Client, client_of


@roles_required(ADMIN, PRACTITIONER, RECEPTION)
def client_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    clients = Client.objects.all()
    if query:
        clients = clients.filter(full_name__icontains=query)
    audit.record(request.user, "list", ("clients.client", ""), request=request, detail=f"q={query}"[:100])
    return render(request, "clients/client_list.html", {"clients": clients[:200], "query": query})


@roles_required(ADMIN, PRACTITIONER, RECEPTION)
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    audit.record(request.user, "view", client, request=request)
    latest = {i.procedure: i for i in reversed(client.intakes.all())}
    procedures = [(p, latest.get(p.slug)) for p in knowledge.list_procedures()]
    return render(request, "clients/client_detail.html", {"client": client, "procedures": procedures})


@roles_required(CLIENT)
def my_record(request: HttpRequest) -> HttpResponse:
    client = client_of(request.user)
    consents = []
    if client is not None:
        audit.record(request.user, "view", client, request=request, detail="own record")
        names = {p.slug: p.name for p in knowledge.list_procedures()}
        seen = set()
        for consent in client.consents.all():
            if consent.procedure in names and consent.procedure not in seen:
                seen.add(consent.procedure)
                consents.append(
                    {
                        "procedure": consent.procedure,
                        "language": consent.language,
                        "procedure_name": names[consent.procedure],
                    }
                )
    return render(request, "clients/my_record.html", {"client": client, "consents": consents})


@roles_required(CLIENT)
@require_http_methods(["GET", "POST"])
def my_record_edit(request: HttpRequest) -> HttpResponse:
    """The client corrects their own contact details; nobody else's record is reachable here."""
    client = client_of(request.user)
    if client is None:
        return render(request, "clients/my_record.html", {"client": None}, status=404)
    form = OwnRecordForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_client(client, form.cleaned_data, by=request.user, request=request)
        except services.InvalidClient as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Your details are saved."))
            return redirect("my-record")
    status = 422 if request.method == "POST" else 200
    return render(request, "clients/my_record_edit.html", {"form": form}, status=status)
