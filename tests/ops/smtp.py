"""A real SMTP server for the tests (aiosmtpd) that records what it accepted."""

from __future__ import annotations

import asyncio
import email
import threading


class Mailbox:
    """aiosmtpd's handler: records each accepted message (sender, body); can stall the first try of one body."""

    def __init__(self) -> None:
        self.accepted: list[tuple[str, str]] = []
        self.stall_once: set[str] = set()
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.delay_s = 0.0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        body = email.message_from_bytes(envelope.content).get_payload(decode=True).decode().strip()
        if body in self.stall_once:
            self.stall_once.discard(body)
            self.stalled.set()
            while not self.release.is_set():  # the sender is killed meanwhile: this message is never accepted
                await asyncio.sleep(0.05)
            return "451 4.3.0 try again later"
        await asyncio.sleep(self.delay_s)
        with self._lock:
            self.accepted.append((envelope.mail_from, body))
        return "250 OK"

    def bodies(self) -> list[str]:
        with self._lock:
            return sorted(body for _sender, body in self.accepted)

    def senders(self) -> set[str]:
        with self._lock:
            return {sender for sender, _body in self.accepted}
