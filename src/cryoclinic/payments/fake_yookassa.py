"""A local stand-in for YooKassa's API v3, for tests and development (the real service cannot be reached here).

It speaks the documented subset the deposits use, with YooKassa's shapes and rules:
- `POST /v3/payments`, `GET /v3/payments/{id}`, `POST /v3/refunds`, `GET /v3/refunds/{id}`, HTTP Basic auth with
  the shop id and secret key (401 `invalid_credentials` otherwise; another shop's object is a 404 `not_found`);
- the `Idempotence-Key` header is required on POST; the same key with the same body answers the first response
  again, with another body a 400 `invalid_request`;
- the 54-FZ receipt is checked when sent (a customer email or phone; each item's description, quantity, amount,
  `vat_code` 1-10, `payment_mode`, `payment_subject`): a 400 naming the `parameter` otherwise;
- the confirmation page (`confirmation_url`, `/checkout/{id}`) "pays" or cancels the payment, sends the
  notification to the shop's webhook, retrying until it answers 200 and then sending it again (`duplicates`), as
  YooKassa may, and redirects to the payment's `return_url`.
Run it with `manage.py fake_yookassa` and point `YOOKASSA_API_URL` at its `/v3`.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from base64 import b64decode
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

PAYMENT_MODES = {"full_prepayment", "partial_prepayment", "advance", "full_payment", "partial_payment", "credit",
                 "credit_payment"}
PAYMENT_SUBJECTS = {"commodity", "excise", "job", "service", "gambling_bet", "gambling_prize", "lottery",
                    "lottery_prize", "intellectual_activity", "payment", "agent_commission", "composite",
                    "another"}


class ApiProblem(Exception):
    def __init__(self, status: int, code: str, description: str, parameter: str = "") -> None:
        super().__init__(description)
        self.status, self.code, self.description, self.parameter = status, code, description, parameter

    def body(self) -> dict[str, Any]:
        body = {"type": "error", "id": str(uuid.uuid4()), "code": self.code, "description": self.description}
        return {**body, "parameter": self.parameter} if self.parameter else body


@dataclass
class ShopAccount:
    secret_key: str
    webhook_url: str = ""


@dataclass
class FakeYooKassa:
    """The server's state; `start()` serves it on 127.0.0.1 (a free port unless given)."""

    shops: dict[str, ShopAccount] = field(default_factory=dict)
    duplicates: int = 1
    retries: int = 3
    retry_delay_s: float = 0.05
    payments: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    deliveries: list[tuple[str, str, int]] = field(default_factory=list)  # (event, object id, status; 0 = error)
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # (method, path, idempotence key)
    _owner: dict[str, str] = field(default_factory=dict)
    _keys: dict[tuple[str, str, str], tuple[str, int, dict[str, Any]]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    base_url: str = ""

    def add_shop(self, shop_id: str, secret_key: str, webhook_url: str = "") -> None:
        self.shops[shop_id] = ShopAccount(secret_key, webhook_url)

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/v3"

    def start(self, port: int = 0) -> str:
        fake = self

        class Handler(_Handler):
            state = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # The API --------------------------------------------------------------------------------------------------
    def authenticate(self, header: str) -> str:
        try:
            scheme, token = header.split(" ", 1)
            shop_id, secret = b64decode(token).decode().split(":", 1)
        except ValueError as exc:
            raise ApiProblem(401, "invalid_credentials", "Basic authentication is required.") from exc
        account = self.shops.get(shop_id)
        if scheme != "Basic" or account is None or account.secret_key != secret:
            raise ApiProblem(401, "invalid_credentials", "Wrong shop id or secret key.")
        return shop_id

    def idempotent(self, shop: str, kind: str, key: str, body: dict[str, Any], make: Any) -> dict[str, Any]:
        if not key:
            raise ApiProblem(400, "invalid_request", "Idempotence-Key header is required.", "Idempotence-Key")
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        with self._lock:
            seen = self._keys.get((shop, kind, key))
            if seen is not None:
                if seen[0] != digest:
                    raise ApiProblem(400, "invalid_request", "Idempotence key duplicated with other data.",
                                     "Idempotence-Key")
                return seen[2]
            response = make()
            self._keys[(shop, kind, key)] = (digest, 200, response)
            return response

    def create_payment(self, shop: str, body: dict[str, Any]) -> dict[str, Any]:
        value = _amount(body.get("amount"), "amount")
        confirmation = body.get("confirmation") or {}
        if confirmation.get("type") != "redirect" or not confirmation.get("return_url"):
            raise ApiProblem(400, "invalid_request", "A redirect confirmation needs return_url.",
                             "confirmation.return_url")
        if "receipt" in body:
            _check_receipt(body["receipt"])
        payment_id = f"{uuid.uuid4()}"
        payment = {
            "id": payment_id, "status": "pending", "paid": False,
            "amount": {"value": f"{value:.2f}", "currency": "RUB"},
            "description": body.get("description", ""), "metadata": body.get("metadata") or {},
            "recipient": {"account_id": shop, "gateway_id": "100500"},
            "confirmation": {"type": "redirect", "return_url": confirmation["return_url"],
                             "confirmation_url": f"{self.base_url}/checkout/{payment_id}"},
            "created_at": _now(), "test": True, "refundable": False,
            "refunded_amount": {"value": "0.00", "currency": "RUB"},
        }
        if "receipt" in body:
            payment["receipt_registration"] = "pending"
        self.payments[payment_id] = payment
        self._owner[payment_id] = shop
        return payment

    def create_refund(self, shop: str, body: dict[str, Any]) -> dict[str, Any]:
        payment = self.payments.get(str(body.get("payment_id")))
        if payment is None or self._owner[payment["id"]] != shop:
            raise ApiProblem(404, "not_found", "No such payment.", "payment_id")
        value = _amount(body.get("amount"), "amount")
        refunded = Decimal(payment["refunded_amount"]["value"])
        if payment["status"] != "succeeded" or value + refunded > Decimal(payment["amount"]["value"]):
            raise ApiProblem(400, "invalid_request", "The payment cannot be refunded by this amount.", "amount")
        if "receipt" in body:
            _check_receipt(body["receipt"])
        refund_id = f"{uuid.uuid4()}"
        refund = {"id": refund_id, "payment_id": payment["id"], "status": "succeeded", "created_at": _now(),
                  "amount": {"value": f"{value:.2f}", "currency": "RUB"}, "description": body.get("description", "")}
        payment["refunded_amount"]["value"] = f"{value + refunded:.2f}"
        payment["refundable"] = value + refunded < Decimal(payment["amount"]["value"])
        self.refunds[refund_id] = refund
        self._owner[refund_id] = shop
        return refund

    def find(self, shop: str, kind: str, object_id: str) -> dict[str, Any]:
        found = (self.payments if kind == "payments" else self.refunds).get(object_id)
        if found is None or self._owner.get(object_id) != shop:
            raise ApiProblem(404, "not_found", f"No {kind[:-1]} {object_id}.")
        return found

    # The buyer's side -----------------------------------------------------------------------------------------
    def pay(self, payment_id: str) -> dict[str, Any]:
        """The buyer pays: the payment succeeds; returns the notification YooKassa would send."""
        payment = self.payments[payment_id]
        if payment["status"] == "pending":
            payment.update(status="succeeded", paid=True, refundable=True, captured_at=_now())
            payment.pop("confirmation", None)
        return {"type": "notification", "event": "payment.succeeded", "object": json.loads(json.dumps(payment))}

    def cancel(self, payment_id: str) -> dict[str, Any]:
        payment = self.payments[payment_id]
        if payment["status"] == "pending":
            details = {"party": "yoo_money", "reason": "expired_on_confirmation"}
            payment.update(status="canceled", cancellation_details=details)
        return {"type": "notification", "event": "payment.canceled", "object": json.loads(json.dumps(payment))}

    def deliver(self, notification: dict[str, Any]) -> None:
        """POST the notification to its shop's webhook until it answers 200, then `duplicates` times more."""
        shop = self._owner[notification["object"]["id"]]
        url = self.shops[shop].webhook_url
        if not url:
            return
        ok = False
        for _attempt in range(self.retries):
            ok = self._post(url, notification) == 200
            if ok:
                break
            time.sleep(self.retry_delay_s)
        for _copy in range(self.duplicates if ok else 0):
            self._post(url, notification)

    def _post(self, url: str, notification: dict[str, Any]) -> int:
        data = json.dumps(notification).encode()
        request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (a URL we were given)
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError:
            status = 0
        self.deliveries.append((notification["event"], notification["object"]["id"], status))
        return status


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


def _amount(amount: Any, parameter: str) -> Decimal:
    try:
        value = Decimal(str(amount["value"]))
    except (TypeError, KeyError, InvalidOperation) as exc:
        raise ApiProblem(400, "invalid_request", "Amount value is missing or malformed.", f"{parameter}.value") from exc
    if amount.get("currency") != "RUB":
        raise ApiProblem(400, "invalid_request", "Only RUB is accepted here.", f"{parameter}.currency")
    if value <= 0 or value != value.quantize(Decimal("0.01")):
        raise ApiProblem(400, "invalid_request", "Amount must be positive, in kopecks at most.", f"{parameter}.value")
    return value


def _check_receipt(receipt: Any) -> None:
    customer = receipt.get("customer") if isinstance(receipt, dict) else None
    if not isinstance(customer, dict) or not (customer.get("email") or customer.get("phone")):
        raise ApiProblem(400, "invalid_request", "The receipt needs the customer's email or phone.",
                         "receipt.customer")
    items = receipt.get("items")
    if not isinstance(items, list) or not items:
        raise ApiProblem(400, "invalid_request", "The receipt needs items.", "receipt.items")
    for i, item in enumerate(items):
        where = f"receipt.items[{i}]"
        if not item.get("description") or len(item["description"]) > 128:
            raise ApiProblem(400, "invalid_request", "Item description: 1-128 characters.", f"{where}.description")
        _amount(item.get("amount"), f"{where}.amount")
        if not isinstance(item.get("vat_code"), int) or not 1 <= item["vat_code"] <= 10:
            raise ApiProblem(400, "invalid_request", "vat_code is 1 to 10.", f"{where}.vat_code")
        if item.get("payment_mode") not in PAYMENT_MODES:
            raise ApiProblem(400, "invalid_request", "Unknown payment_mode.", f"{where}.payment_mode")
        if item.get("payment_subject") not in PAYMENT_SUBJECTS:
            raise ApiProblem(400, "invalid_request", "Unknown payment_subject.", f"{where}.payment_subject")


CHECKOUT_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Test payment</title></head><body>
<h1>Test payment (local YooKassa stand-in)</h1><p data-testid="amount">{value} RUB — {description}</p>
<form method="post"><button name="action" value="pay" data-testid="pay">Pay</button>
<button name="action" value="cancel" data-testid="cancel">Cancel</button></form></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    state: FakeYooKassa

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass

    def _send(self, status: int, body: dict[str, Any] | str, content_type: str = "application/json") -> None:
        data = (json.dumps(body) if isinstance(body, dict) else body).encode()
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self) -> None:  # noqa: N802 (the base class's name)
        parts = self.path.split("?")[0].strip("/").split("/")
        try:
            if len(parts) == 2 and parts[0] == "checkout" and parts[1] in self.state.payments:
                payment = self.state.payments[parts[1]]
                page = CHECKOUT_PAGE.format(value=payment["amount"]["value"], description=payment["description"])
                return self._send(200, page, "text/html")
            if len(parts) == 3 and parts[0] == "v3" and parts[1] in ("payments", "refunds"):
                shop = self.state.authenticate(self.headers.get("Authorization", ""))
                return self._send(200, self.state.find(shop, parts[1], parts[2]))
            raise ApiProblem(404, "not_found", "No such resource.")
        except ApiProblem as problem:
            self._send(problem.status, problem.body())

    def do_POST(self) -> None:  # noqa: N802 (the base class's name)
        parts = self.path.split("?")[0].strip("/").split("/")
        raw = self._body()
        try:
            if len(parts) == 2 and parts[0] == "checkout" and parts[1] in self.state.payments:
                return self._checkout(parts[1], parse_qs(raw.decode()).get("action", [""])[0])
            if len(parts) != 2 or parts[0] != "v3" or parts[1] not in ("payments", "refunds"):
                raise ApiProblem(404, "not_found", "No such resource.")
            shop = self.state.authenticate(self.headers.get("Authorization", ""))
            try:
                body = json.loads(raw or b"{}")
            except ValueError as exc:
                raise ApiProblem(400, "invalid_request", "The body is not JSON.") from exc
            key = self.headers.get("Idempotence-Key", "")
            self.state.requests.append(("POST", f"/v3/{parts[1]}", key))
            make = self.state.create_payment if parts[1] == "payments" else self.state.create_refund
            self._send(200, self.state.idempotent(shop, parts[1], key, body, lambda: make(shop, body)))
        except ApiProblem as problem:
            self._send(problem.status, problem.body())

    def _checkout(self, payment_id: str, action: str) -> None:
        return_url = self.state.payments[payment_id].get("confirmation", {}).get("return_url", "/")
        notification = self.state.pay(payment_id) if action == "pay" else self.state.cancel(payment_id)
        self.state.deliver(notification)
        self.send_response(303)
        self.send_header("Location", return_url)
        self.send_header("Content-Length", "0")
        self.end_headers()
