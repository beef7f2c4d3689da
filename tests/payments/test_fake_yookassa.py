"""The local YooKassa stand-in keeps to the documented behaviour the deposits rely on."""

from __future__ import annotations

import json
import threading
import urllib.request
from base64 import b64encode
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cryoclinic.payments.fake_yookassa import FakeYooKassa

BODY = {"amount": {"value": "100.00", "currency": "RUB"}, "capture": True,
        "confirmation": {"type": "redirect", "return_url": "http://127.0.0.1/back"}}


@pytest.fixture
def server():
    fake = FakeYooKassa(retry_delay_s=0.01)
    fake.add_shop("1001", "test_key")
    fake.start()
    yield fake
    fake.stop()


def _call(fake, method, path, body=None, key="", auth=("1001", "test_key")):
    headers = {"Content-Type": "application/json",
               "Authorization": "Basic " + b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()}
    if key:
        headers["Idempotence-Key"] = key
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(fake.base_url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_a_post_needs_an_idempotence_key(server):
    status, body = _call(server, "POST", "/v3/payments", BODY)
    assert status == 400 and body["parameter"] == "Idempotence-Key"


def test_wrong_credentials_are_a_401(server):
    status, body = _call(server, "POST", "/v3/payments", BODY, key="k", auth=("1001", "nope"))
    assert status == 401 and body["code"] == "invalid_credentials"


def test_another_shop_s_payment_is_not_found(server):
    server.add_shop("2002", "other_key")
    _status, payment = _call(server, "POST", "/v3/payments", BODY, key="k1")
    status, _body = _call(server, "GET", f"/v3/payments/{payment['id']}", auth=("2002", "other_key"))
    assert status == 404


def test_a_bad_receipt_item_names_its_parameter(server):
    receipt = {"customer": {"email": "a@example.org"},
               "items": [{"description": "x", "quantity": "1", "amount": {"value": "100.00", "currency": "RUB"},
                          "vat_code": 42, "payment_mode": "full_prepayment", "payment_subject": "service"}]}
    status, body = _call(server, "POST", "/v3/payments", {**BODY, "receipt": receipt}, key="k2")
    assert status == 400 and body["parameter"] == "receipt.items[0].vat_code"


class _Webhook(BaseHTTPRequestHandler):
    answers: list[int] = []
    received: list[dict] = []

    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802
        self.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(self.answers.pop(0) if self.answers else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()


def test_the_confirmation_page_pays_and_notifies_with_retries_and_a_duplicate(server):
    _Webhook.answers, _Webhook.received = [500, 503], []
    hook = ThreadingHTTPServer(("127.0.0.1", 0), _Webhook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    server.shops["1001"].webhook_url = f"http://127.0.0.1:{hook.server_address[1]}/hook"
    try:
        _status, payment = _call(server, "POST", "/v3/payments", BODY, key="k3")
        page = urllib.request.urlopen(payment["confirmation"]["confirmation_url"]).read().decode()
        assert 'data-testid="pay"' in page
        pay = urllib.request.Request(payment["confirmation"]["confirmation_url"], data=b"action=pay", method="POST")

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        with pytest.raises(urllib.error.HTTPError) as redirect:
            urllib.request.build_opener(NoRedirect).open(pay)
        assert redirect.value.code == 303 and redirect.value.headers["Location"] == "http://127.0.0.1/back"
    finally:
        hook.shutdown()
        hook.server_close()
    assert [status for _event, _id, status in server.deliveries] == [500, 503, 200, 200]
    assert len(_Webhook.received) == 4 and {n["event"] for n in _Webhook.received} == {"payment.succeeded"}
    assert _call(server, "GET", f"/v3/payments/{payment['id']}")[1]["status"] == "succeeded"
