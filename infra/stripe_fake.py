"""A small in-memory fake of the Stripe API endpoints SENCo Hub uses, for tests and the demo.

The product talks to it through the official `stripe` library with STRIPE_API_BASE pointing
here, so the library's real request encoding, headers and response parsing are exercised.
Implemented (and nothing else):

    POST /v1/customers                 GET/POST /v1/customers/{id}
    POST /v1/checkout/sessions         POST /v1/billing_portal/sessions
    GET  /v1/subscriptions             POST /v1/subscriptions
    GET/POST /v1/subscriptions/{id}    GET  /v1/invoices

Every request is recorded (method, path, decoded form body, idempotency key) so tests can check
what left the product. Idempotency keys behave like Stripe's: the same key and body replay the
first response; the same key with a different body is an `idempotency_error`.

The control methods (`complete_checkout`, `fail_payment`, `pay_open_invoices`, `cancel`, ...)
change a subscription the way Stripe would and queue the webhook events Stripe would send, in
`outbox`. `webhook_request(event)` gives the body and a `Stripe-Signature` header signed exactly
like Stripe's (t=<unix time>,v1=<HMAC-SHA256 of "t.body" with the endpoint secret>).

Run it standalone for the demo (it then delivers its events to the webhook URL itself and serves
clickable Checkout and portal pages):

    python -m infra.stripe_fake --port 12111 --webhook-url http://localhost:8000/billing/stripe/webhook/
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import hmac
import itertools
import json
import re
import secrets
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

DEFAULT_SECRET = "whsec_sencohub_fake"
DEFAULT_PRICE = "price_sencohub_annual"
UNIT_AMOUNT = 300  # pence per pupil per year in the fake price
YEAR = 365 * 24 * 60 * 60


class StripeFakeError(Exception):
    def __init__(
        self,
        status: int,
        type_: str,
        message: str,
        code: str | None = None,
        param: str | None = None,
    ):
        super().__init__(message)
        self.status, self.type, self.message, self.code, self.param = (
            status,
            type_,
            message,
            code,
            param,
        )

    def body(self) -> dict:
        error = {"type": self.type, "message": self.message}
        if self.code:
            error["code"] = self.code
        if self.param:
            error["param"] = self.param
        return {"error": error}


def decode_form(pairs: list[tuple[str, str]]) -> dict:
    """Stripe's form encoding back into nested dicts and lists: a[b][0][c]=v."""
    root: dict = {}
    for key, value in pairs:
        parts = re.findall(r"[^\[\]]+|\[\]", key)
        node: dict = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
    return _lists(root)


def _lists(node):
    if isinstance(node, dict):
        converted = {k: _lists(v) for k, v in node.items()}
        if converted and all(k.isdigit() for k in converted):
            return [converted[k] for k in sorted(converted, key=int)]
        return converted
    return node


def flatten(params, prefix: str = "") -> dict[str, str]:
    """Nested params back to Stripe-style keys with list indexes as [] (for field allowlists)."""
    out: dict[str, str] = {}
    if isinstance(params, dict):
        for k, v in params.items():
            out.update(flatten(v, f"{prefix}[{k}]" if prefix else k))
    elif isinstance(params, list):
        for v in params:
            out.update(flatten(v, f"{prefix}[]"))
    else:
        out[prefix] = params
    return out


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    signature = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={signature}"


class FakeStripe:
    def __init__(
        self,
        *,
        webhook_secret: str = DEFAULT_SECRET,
        price_id: str = DEFAULT_PRICE,
        webhook_url: str | None = None,
    ) -> None:
        self.webhook_secret = webhook_secret
        self.price_id = price_id
        self.webhook_url = webhook_url
        self.lock = threading.RLock()
        self.customers: dict[str, dict] = {}
        self.subscriptions: dict[str, dict] = {}
        self.invoices: dict[str, dict] = {}
        self.checkout_sessions: dict[str, dict] = {}
        self.portal_sessions: dict[str, dict] = {}
        self.requests: list[dict] = []
        self.outbox: list[dict] = []
        self._idempotency: dict[str, tuple[str, int, dict]] = {}
        self._failures: list[dict] = []
        self._counter = itertools.count(1)
        self._invoice_numbers = itertools.count(1)
        self.clock_offset = 0
        self.server: ThreadingHTTPServer | None = None
        self.url = ""

    # --- lifecycle ------------------------------------------------------------------------
    def start(self, port: int = 0, host: str = "127.0.0.1") -> FakeStripe:
        fake = self

        class Handler(_Handler):
            pass

        Handler.fake = fake
        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True, name="stripe-fake").start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def reset(self) -> None:
        with self.lock:
            for store in (
                self.customers,
                self.subscriptions,
                self.invoices,
                self.checkout_sessions,
                self.portal_sessions,
                self._idempotency,
            ):
                store.clear()
            self.requests.clear()
            self.outbox.clear()
            self._failures.clear()
            self.clock_offset = 0

    def now(self) -> int:
        return int(time.time()) + self.clock_offset

    def _id(self, prefix: str) -> str:
        return f"{prefix}_fake{next(self._counter):05d}{secrets.token_hex(4)}"

    # --- failure injection ----------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        path_prefix: str,
        *,
        status: int = 500,
        times: int = 1,
        type_: str = "api_error",
        message: str = "Something went wrong on Stripe's end.",
    ) -> None:
        with self.lock:
            self._failures.append(
                {
                    "method": method.upper(),
                    "prefix": path_prefix,
                    "status": status,
                    "times": times,
                    "type": type_,
                    "message": message,
                }
            )

    def _injected_failure(self, method: str, path: str) -> StripeFakeError | None:
        with self.lock:
            for failure in self._failures:
                if (
                    failure["method"] == method
                    and path.startswith(failure["prefix"])
                    and failure["times"] > 0
                ):
                    failure["times"] -= 1
                    return StripeFakeError(failure["status"], failure["type"], failure["message"])
        return None

    # --- HTTP dispatch --------------------------------------------------------------------
    def handle(self, method: str, raw_path: str, body: bytes, headers: dict) -> tuple[int, dict]:
        split = urlsplit(raw_path)
        path = split.path
        params = decode_form(
            parse_qsl(body.decode() if method == "POST" else split.query, keep_blank_values=True)
        )
        key = headers.get("idempotency-key")
        with self.lock:
            self.requests.append(
                {
                    "method": method,
                    "path": path,
                    "params": params,
                    "body": body.decode(),
                    "query": split.query,
                    "idempotency_key": key,
                }
            )
            if not headers.get("authorization", "").startswith("Bearer sk_"):
                return 401, StripeFakeError(
                    401, "invalid_request_error", "Invalid API Key provided."
                ).body()
            failure = self._injected_failure(method, path)
            if failure is not None:
                return failure.status, failure.body()
            if method == "POST" and key:
                fingerprint = f"{path}?{body.decode()}"
                if key in self._idempotency:
                    seen, status, response = self._idempotency[key]
                    if seen != fingerprint:
                        return 400, StripeFakeError(
                            400,
                            "idempotency_error",
                            "Keys for idempotent requests can only be used with the same parameters they were first used with.",
                        ).body()
                    return status, copy.deepcopy(response)
            try:
                status, response = 200, self._route(method, path, params)
            except StripeFakeError as error:
                status, response = error.status, error.body()
            if method == "POST" and key:
                self._idempotency[key] = (
                    f"{path}?{body.decode()}",
                    status,
                    copy.deepcopy(response),
                )
            return status, response

    def _route(self, method: str, path: str, params: dict) -> dict:
        routes = [
            ("POST", r"/v1/customers", self._customer_create),
            ("GET", r"/v1/customers/(?P<id>[^/]+)", self._customer_get),
            ("POST", r"/v1/customers/(?P<id>[^/]+)", self._customer_update),
            ("POST", r"/v1/checkout/sessions", self._checkout_create),
            ("POST", r"/v1/billing_portal/sessions", self._portal_create),
            ("GET", r"/v1/subscriptions", self._subscription_list),
            ("POST", r"/v1/subscriptions", self._subscription_create),
            ("GET", r"/v1/subscriptions/(?P<id>[^/]+)", self._subscription_get),
            ("POST", r"/v1/subscriptions/(?P<id>[^/]+)", self._subscription_update),
            ("GET", r"/v1/invoices", self._invoice_list),
            ("POST", r"/v1/invoices/create_preview", self._invoice_preview),
        ]
        for verb, pattern, fn in routes:
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                return fn(params, **match.groupdict())
        raise StripeFakeError(
            404, "invalid_request_error", f"Unrecognized request URL ({method}: {path})."
        )

    # --- customers ------------------------------------------------------------------------
    def _customer_create(self, params: dict) -> dict:
        customer = {
            "id": self._id("cus"),
            "object": "customer",
            "created": self.now(),
            "livemode": False,
            "name": params.get("name"),
            "email": params.get("email"),
            "metadata": params.get("metadata", {}),
        }
        self.customers[customer["id"]] = customer
        return copy.deepcopy(customer)

    def _customer(self, id: str) -> dict:
        if id not in self.customers:
            raise StripeFakeError(
                404, "invalid_request_error", f"No such customer: '{id}'", "resource_missing", "id"
            )
        return self.customers[id]

    def _customer_get(self, params: dict, id: str) -> dict:
        return copy.deepcopy(self._customer(id))

    def _customer_update(self, params: dict, id: str) -> dict:
        customer = self._customer(id)
        for field in ("name", "email"):
            if field in params:
                customer[field] = params[field]
        customer["metadata"].update(params.get("metadata", {}))
        return copy.deepcopy(customer)

    # --- sessions -------------------------------------------------------------------------
    def _checkout_create(self, params: dict) -> dict:
        for required in ("mode", "success_url", "line_items"):
            if required not in params:
                raise StripeFakeError(
                    400,
                    "invalid_request_error",
                    f"Missing required param: {required}.",
                    "parameter_missing",
                    required,
                )
        self._customer(params.get("customer", ""))
        for item in params["line_items"]:
            if item.get("price") != self.price_id:
                raise StripeFakeError(
                    400,
                    "invalid_request_error",
                    f"No such price: '{item.get('price')}'",
                    "resource_missing",
                )
        session_id = self._id("cs_test")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": params["mode"],
            "status": "open",
            "customer": params.get("customer"),
            "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata", {}),
            "subscription": None,
            "payment_status": "unpaid",
            "success_url": params["success_url"],
            "cancel_url": params.get("cancel_url"),
            "url": f"{self.url}/pay/{session_id}",
            "created": self.now(),
            "_line_items": params["line_items"],
            "_subscription_data": params.get("subscription_data", {}),
        }
        self.checkout_sessions[session_id] = session
        return _public(session)

    def _portal_create(self, params: dict) -> dict:
        self._customer(params.get("customer", ""))
        session_id = self._id("bps")
        session = {
            "id": session_id,
            "object": "billing_portal.session",
            "customer": params["customer"],
            "return_url": params.get("return_url"),
            "url": f"{self.url}/portal/{session_id}",
            "created": self.now(),
        }
        self.portal_sessions[session_id] = session
        return copy.deepcopy(session)

    # --- subscriptions --------------------------------------------------------------------
    def _new_subscription(
        self,
        *,
        customer: str,
        price: str,
        quantity: int,
        collection_method: str,
        days_until_due: int | None,
        trial_end: int | None,
        metadata: dict,
    ) -> dict:
        now = self.now()
        period_end = trial_end if trial_end else now + YEAR
        sub_id = self._id("sub")
        sub = {
            "id": sub_id,
            "object": "subscription",
            "customer": customer,
            "created": now,
            "status": "trialing" if trial_end else "active",
            "collection_method": collection_method,
            "days_until_due": days_until_due,
            "cancel_at_period_end": False,
            "canceled_at": None,
            "trial_start": now if trial_end else None,
            "trial_end": trial_end,
            "metadata": metadata,
            "latest_invoice": None,
            "livemode": False,
            "items": {
                "object": "list",
                "has_more": False,
                "url": f"/v1/subscription_items?subscription={sub_id}",
                "data": [
                    {
                        "id": self._id("si"),
                        "object": "subscription_item",
                        "subscription": sub_id,
                        "quantity": quantity,
                        "current_period_start": now,
                        "current_period_end": period_end,
                        "price": {
                            "id": price,
                            "object": "price",
                            "currency": "gbp",
                            "unit_amount": UNIT_AMOUNT,
                            "recurring": {"interval": "year", "interval_count": 1},
                        },
                    }
                ],
            },
        }
        self.subscriptions[sub_id] = sub
        return sub

    def _subscription_list(self, params: dict) -> dict:
        status = params.get("status")
        subs = [
            s
            for s in self.subscriptions.values()
            if (not params.get("customer") or s["customer"] == params["customer"])
            and (
                status == "all"
                or (status and s["status"] == status)
                or (not status and s["status"] != "canceled")
            )
        ]
        subs.sort(key=lambda s: s["created"], reverse=True)
        return _list("/v1/subscriptions", subs[: int(params.get("limit", 10))])

    def _subscription_create(self, params: dict) -> dict:
        self._customer(params.get("customer", ""))
        items = params.get("items") or []
        if len(items) != 1 or items[0].get("price") != self.price_id:
            raise StripeFakeError(
                400,
                "invalid_request_error",
                "Exactly one item with the SENCo Hub price is expected.",
                param="items",
            )
        method = params.get("collection_method", "charge_automatically")
        if method == "send_invoice" and "days_until_due" not in params:
            raise StripeFakeError(
                400,
                "invalid_request_error",
                "days_until_due is required with send_invoice.",
                param="days_until_due",
            )
        trial_end = int(params["trial_end"]) if params.get("trial_end") else None
        sub = self._new_subscription(
            customer=params["customer"],
            price=items[0]["price"],
            quantity=int(items[0].get("quantity", 1)),
            collection_method=method,
            days_until_due=int(params["days_until_due"]) if params.get("days_until_due") else None,
            trial_end=trial_end,
            metadata=params.get("metadata", {}),
        )
        self._emit("customer.subscription.created", sub)
        if not trial_end:
            self._invoice_for(sub, paid=method == "charge_automatically")
        return copy.deepcopy(sub)

    def _subscription(self, id: str) -> dict:
        if id not in self.subscriptions:
            raise StripeFakeError(
                404,
                "invalid_request_error",
                f"No such subscription: '{id}'",
                "resource_missing",
                "id",
            )
        return self.subscriptions[id]

    def _subscription_get(self, params: dict, id: str) -> dict:
        return copy.deepcopy(self._subscription(id))

    def _subscription_update(self, params: dict, id: str) -> dict:
        sub = self._subscription(id)
        if sub["status"] == "canceled":
            raise StripeFakeError(
                400,
                "invalid_request_error",
                "A canceled subscription can only update its cancellation_details and metadata.",
            )
        for change in params.get("items") or []:
            item = next((i for i in sub["items"]["data"] if i["id"] == change.get("id")), None)
            if item is None:
                raise StripeFakeError(
                    400,
                    "invalid_request_error",
                    f"No such subscription item: '{change.get('id')}'",
                    param="items",
                )
            if "quantity" in change:
                item["quantity"] = int(change["quantity"])
        if "metadata" in params:
            sub["metadata"].update(params["metadata"])
        self._emit("customer.subscription.updated", sub)
        return copy.deepcopy(sub)

    # --- invoices -------------------------------------------------------------------------
    def _invoice_list(self, params: dict) -> dict:
        invoices = [
            i
            for i in self.invoices.values()
            if (not params.get("customer") or i["customer"] == params["customer"])
            and (
                not params.get("subscription") or _invoice_subscription(i) == params["subscription"]
            )
        ]
        invoices.sort(key=lambda i: (i["created"], i["id"]), reverse=True)
        return _list("/v1/invoices", invoices[: int(params.get("limit", 10))])

    def _invoice_preview(self, params: dict) -> dict:
        """Stripe's upcoming invoice preview (POST /v1/invoices/create_preview): the invoice the
        subscription will raise at the end of its trial or period, at its current quantity. Not
        stored and not finalised; it has no id (Stripe's previews have none either)."""
        sub_id = params.get("subscription", "")
        if not sub_id:
            raise StripeFakeError(
                400,
                "invalid_request_error",
                "A preview needs a subscription (or subscription_details).",
                param="subscription",
            )
        sub = self._subscription(sub_id)
        if params.get("customer") and params["customer"] != sub["customer"]:
            raise StripeFakeError(
                400,
                "invalid_request_error",
                "The subscription does not belong to that customer.",
                param="customer",
            )
        if sub["status"] == "canceled":
            raise StripeFakeError(
                400,
                "invalid_request_error",
                "No upcoming invoices for a canceled subscription.",
                "invoice_upcoming_none",
            )
        item = sub["items"]["data"][0]
        amount = item["quantity"] * item["price"]["unit_amount"]
        starts = item["current_period_end"]
        return {
            "id": None,
            "object": "invoice",
            "customer": sub["customer"],
            "created": self.now(),
            "currency": "gbp",
            "status": "draft",
            "collection_method": sub["collection_method"],
            "amount_due": amount,
            "subtotal": amount,
            "total": amount,
            "period_start": starts,
            "period_end": starts + YEAR,
            "next_payment_attempt": starts,
            "lines": {
                "object": "list",
                "has_more": False,
                "url": "/v1/invoices/upcoming/lines",
                "data": [
                    {
                        "object": "line_item",
                        "amount": amount,
                        "quantity": item["quantity"],
                        "period": {"start": starts, "end": starts + YEAR},
                    }
                ],
            },
            "livemode": False,
            "parent": {
                "type": "subscription_details",
                "quote_details": None,
                "subscription_details": {"subscription": sub["id"], "metadata": sub["metadata"]},
            },
        }

    def _invoice_for(self, sub: dict, *, paid: bool) -> dict:
        item = sub["items"]["data"][0]
        amount = item["quantity"] * item["price"]["unit_amount"]
        now = self.now()
        invoice_id = self._id("in")
        invoice = {
            "id": invoice_id,
            "object": "invoice",
            "customer": sub["customer"],
            "created": now,
            "number": f"SENCO-{next(self._invoice_numbers):04d}",
            "currency": "gbp",
            "status": "paid" if paid else "open",
            "collection_method": sub["collection_method"],
            "amount_due": amount,
            "amount_paid": amount if paid else 0,
            "amount_remaining": 0 if paid else amount,
            "due_date": now + (sub["days_until_due"] or 0) * 86400
            if sub["collection_method"] == "send_invoice"
            else None,
            "hosted_invoice_url": f"{self.url}/invoice/{invoice_id}",
            "invoice_pdf": f"{self.url}/invoice/{invoice_id}.pdf",
            "livemode": False,
            "parent": {
                "type": "subscription_details",
                "quote_details": None,
                "subscription_details": {"subscription": sub["id"], "metadata": sub["metadata"]},
            },
        }
        self.invoices[invoice_id] = invoice
        sub["latest_invoice"] = invoice_id
        self._emit("invoice.finalized", invoice)
        if paid:
            self._emit("invoice.paid", invoice)
        return invoice

    # --- webhook events -------------------------------------------------------------------
    def event(self, type_: str, obj: dict) -> dict:
        return {
            "id": self._id("evt"),
            "object": "event",
            "api_version": "2026-10-28.endive",
            "created": self.now(),
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": type_,
            "data": {"object": _public(copy.deepcopy(obj))},
        }

    def _emit(self, type_: str, obj: dict) -> dict:
        event = self.event(type_, obj)
        self.outbox.append(event)
        if self.webhook_url:
            threading.Thread(target=self._deliver, args=(event,), daemon=True).start()
        return event

    def take_events(self) -> list[dict]:
        """The events queued since the last call, oldest first."""
        with self.lock:
            events, self.outbox[:] = list(self.outbox), []
        return events

    def webhook_request(
        self, event: dict, *, secret: str | None = None, timestamp: int | None = None
    ) -> tuple[bytes, str]:
        payload = json.dumps(event).encode()
        return payload, sign(payload, secret or self.webhook_secret, timestamp)

    def _deliver(self, event: dict) -> None:
        time.sleep(0.3)  # let the request that caused the event finish first, like Stripe
        payload, header = self.webhook_request(event)
        request = urllib.request.Request(
            self.webhook_url,
            data=payload,
            method="POST",
            headers={"Content-Type": "application/json", "Stripe-Signature": header},
        )
        try:
            urllib.request.urlopen(request, timeout=10).read()
        except Exception as error:  # the demo carries on; Stripe would retry later
            print(f"stripe-fake: delivering {event['type']} failed: {error}", flush=True)

    # --- control: what happens at Stripe's end --------------------------------------------
    def complete_checkout(self, session_id: str) -> dict:
        """The payer entered a card on the Checkout page."""
        with self.lock:
            session = self.checkout_sessions[session_id]
            if session["status"] == "complete":
                return self.subscriptions[session["subscription"]]
            data = session["_subscription_data"]
            item = session["_line_items"][0]
            trial_end = int(data["trial_end"]) if data.get("trial_end") else None
            sub = self._new_subscription(
                customer=session["customer"],
                price=item["price"],
                quantity=int(item.get("quantity", 1)),
                collection_method="charge_automatically",
                days_until_due=None,
                trial_end=trial_end,
                metadata=data.get("metadata", {}),
            )
            session.update(
                status="complete",
                subscription=sub["id"],
                payment_status="paid" if not trial_end else "no_payment_required",
            )
            self._emit("checkout.session.completed", session)
            self._emit("customer.subscription.created", sub)
            if not trial_end:
                self._invoice_for(sub, paid=True)
            return copy.deepcopy(sub)

    def end_trial(self, sub_id: str, *, paid: bool = True) -> dict:
        with self.lock:
            sub = self._subscription(sub_id)
            sub["trial_end"] = sub["trial_end"] or self.now()
            item = sub["items"]["data"][0]
            item["current_period_start"], item["current_period_end"] = self.now(), self.now() + YEAR
            sub["status"] = "active"
            invoice = self._invoice_for(
                sub, paid=paid and sub["collection_method"] == "charge_automatically"
            )
            if sub["collection_method"] == "charge_automatically" and not paid:
                sub["status"] = "past_due"
                self._emit("invoice.payment_failed", invoice)
            self._emit("customer.subscription.updated", sub)
            return copy.deepcopy(sub)

    def fail_payment(self, sub_id: str) -> dict:
        """The renewal charge was declined: a new open invoice and the subscription past due."""
        with self.lock:
            sub = self._subscription(sub_id)
            invoice = self._invoice_for(sub, paid=False)
            invoice["attempt_count"] = 1
            sub["status"] = "past_due"
            self._emit("invoice.payment_failed", invoice)
            self._emit("customer.subscription.updated", sub)
            return copy.deepcopy(sub)

    def invoice_overdue(self, sub_id: str) -> dict:
        """An invoice sent for bank transfer passed its due date unpaid."""
        with self.lock:
            sub = self._subscription(sub_id)
            invoice = next(
                (
                    i
                    for i in self.invoices.values()
                    if _invoice_subscription(i) == sub_id and i["status"] == "open"
                ),
                None,
            )
            if invoice is None:
                invoice = self._invoice_for(sub, paid=False)
            sub["status"] = "past_due"
            self._emit("invoice.overdue", invoice)
            self._emit("customer.subscription.updated", sub)
            return copy.deepcopy(sub)

    def pay_open_invoices(self, sub_id: str) -> dict:
        with self.lock:
            sub = self._subscription(sub_id)
            for invoice in self.invoices.values():
                if _invoice_subscription(invoice) == sub_id and invoice["status"] == "open":
                    invoice.update(
                        status="paid", amount_paid=invoice["amount_due"], amount_remaining=0
                    )
                    self._emit("invoice.paid", invoice)
            sub["status"] = "active"
            self._emit("customer.subscription.updated", sub)
            return copy.deepcopy(sub)

    def mark_unpaid(self, sub_id: str) -> dict:
        with self.lock:
            sub = self._subscription(sub_id)
            sub["status"] = "unpaid"
            self._emit("customer.subscription.updated", sub)
            return copy.deepcopy(sub)

    def cancel(self, sub_id: str) -> dict:
        with self.lock:
            sub = self._subscription(sub_id)
            sub.update(status="canceled", canceled_at=self.now())
            self._emit("customer.subscription.deleted", sub)
            return copy.deepcopy(sub)


def _public(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if not k.startswith("_")}


def _list(url: str, data: list[dict]) -> dict:
    return {"object": "list", "url": url, "has_more": False, "data": copy.deepcopy(data)}


def _invoice_subscription(invoice: dict) -> str | None:
    return ((invoice.get("parent") or {}).get("subscription_details") or {}).get("subscription")


class _Handler(BaseHTTPRequestHandler):
    fake: FakeStripe
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this, Nagle's algorithm and delayed
    # ACKs add ~40 ms to every keep-alive response.
    disable_nagle_algorithm = True

    def log_message(self, format, *args) -> None:  # quiet
        pass

    def _reply(self, status: int, body: dict | str, content_type: str = "application/json") -> None:
        data = (json.dumps(body) if isinstance(body, dict) else body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", f"req_{secrets.token_hex(6)}")
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self, method: str) -> None:
        body = self._body()
        path = urlsplit(self.path).path
        if not path.startswith("/v1/"):
            return self._pages(method, path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, response = self.fake.handle(method, self.path, body, headers)
        self._reply(status, response)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    # Clickable stand-ins for Stripe's hosted pages (demo only).
    def _pages(self, method: str, path: str) -> None:
        fake = self.fake
        match = re.fullmatch(r"/pay/([^/]+)", path)
        if match and match.group(1) in fake.checkout_sessions:
            session = fake.checkout_sessions[match.group(1)]
            if method == "POST":
                fake.complete_checkout(session["id"])
                self.send_response(303)
                self.send_header("Location", session["success_url"])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            item = session["_line_items"][0]
            return self._reply(
                200,
                _page(
                    "Pay SENCo Hub (test mode)",
                    f"""
              <p>{fake.customers[session["customer"]]["name"]}: annual licence for {item.get("quantity")} pupils.</p>
              <form method="post"><button>Pay with test card 4242 4242 4242 4242</button></form>
              <p><a href="{session["cancel_url"]}">Cancel and go back</a></p>""",
                ),
                "text/html",
            )
        match = re.fullmatch(r"/portal/([^/]+)", path)
        if match and match.group(1) in fake.portal_sessions:
            session = fake.portal_sessions[match.group(1)]
            return self._reply(
                200,
                _page(
                    "Billing portal (test mode)",
                    f"""
              <p>Payment details and invoices for {fake.customers[session["customer"]]["name"]} would be managed here.</p>
              <p><a href="{session["return_url"]}">Return to SENCo Hub</a></p>""",
                ),
                "text/html",
            )
        if re.fullmatch(r"/invoice/[^/]+", path):
            return self._reply(
                200,
                _page("Invoice (test mode)", "<p>A hosted invoice would be shown here.</p>"),
                "text/html",
            )
        self._reply(404, {"error": {"type": "invalid_request_error", "message": "Not found."}})


def _page(title: str, body: str) -> str:
    return f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title></head><body style='font-family:sans-serif;max-width:40em;margin:3em auto'><h1>{title}</h1>{body}</body></html>"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--webhook-url", default=None)
    parser.add_argument("--secret", default=DEFAULT_SECRET)
    parser.add_argument("--price", default=DEFAULT_PRICE)
    args = parser.parse_args()
    fake = FakeStripe(
        webhook_secret=args.secret, price_id=args.price, webhook_url=args.webhook_url
    ).start(port=args.port)
    print(
        f"Fake Stripe on {fake.url} (STRIPE_API_BASE={fake.url} STRIPE_SECRET_KEY=sk_test_fake "
        f"STRIPE_PRICE_ID={args.price} STRIPE_WEBHOOK_SECRET={args.secret})",
        flush=True,
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
