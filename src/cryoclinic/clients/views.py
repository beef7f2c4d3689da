from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from cryoclinic.accounts import audit
from cryoclinic.accounts.access import roles_required
from cryoclinic.accounts.roles import ADMIN, CLIENT, PRACTITIONER, RECEPTION

from .models import Client


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
    return render(request, "clients/client_detail.html", {"client": client})


@roles_required(CLIENT)
def my_record(request: HttpRequest) -> HttpResponse:
    client = Client.objects.filter(user__pk=request.user.pk).first() if request.user.is_authenticated else None
    if client is not None:
        audit.record(request.user, "view", client, request=request, detail="own record")
    return render(request, "clients/my_record.html", {"client": client})
