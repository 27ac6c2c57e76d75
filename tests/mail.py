"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests of sending mail."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass
class MailSink:
    """What the SMTP server received: every message, and addresses it was told to refuse."""

    messages: list[Message] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        self.messages.append(message_from_bytes(content, policy=policy.default))
        return "250 Message accepted"

    def to(self, address: str) -> list[Message]:
        return [message for message in self.messages if message["To"] == address]


    def wait_for(self, address: str, seconds: float = 60) -> Message:
        """The first message to ``address``, waiting for it to arrive (another process may be sending)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = self.to(address)
            if found:
                return found[0]
            time.sleep(0.2)
        raise AssertionError(f"no mail to {address} within {seconds} s")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def smtp_server(sink: MailSink) -> Controller:
    """Start an SMTP server on a free loopback port; stop it with ``.stop()``."""
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    return controller


def body_text(message: Message) -> str:
    """A plain-text message's body, with the CRLF line ends of SMTP as plain newlines."""
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8").replace("\r\n", "\n")
