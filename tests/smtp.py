"""Real SMTP servers on loopback for the email tests: one that takes mail (aiosmtpd) and one that
accepts the connection and never says a word (a mail server that hangs)."""

from __future__ import annotations

import socket
from email import message_from_bytes
from email.message import Message as EmailMessage

from aiosmtpd.controller import Controller

from tests.servers import free_port


class _Keep:
    def __init__(self) -> None:
        self.received: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.received.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


class SmtpSink:
    """An SMTP server on 127.0.0.1 that keeps what it is sent (`received`)."""

    def __init__(self) -> None:
        self.port = free_port()
        self._handler = _Keep()
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    @property
    def received(self) -> list[EmailMessage]:
        return self._handler.received

    def settings(self, timeout: int = 5) -> dict:
        return smtp_settings(self.port, timeout)

    def stop(self) -> None:
        self._controller.stop()


class SilentServer:
    """Accepts TCP connections (the kernel completes them) and never answers: no greeting, no
    reply, as a wedged mail server behaves."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self.port = self._socket.getsockname()[1]

    def settings(self, timeout: int = 1) -> dict:
        return smtp_settings(self.port, timeout)

    def stop(self) -> None:
        self._socket.close()


def smtp_settings(port: int, timeout: int) -> dict:
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": timeout,
    }
