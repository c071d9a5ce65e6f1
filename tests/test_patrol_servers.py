"""Two Daphne server processes sharing Redis and one database: a patrol phone connected to
server A hears of a request a teacher raised through server B; and a server restart loses no
request (the reconnecting client's snapshot has it). Skipped, saying so, only without Redis."""

import base64
import contextlib
import json
import os
import socket
import struct
import unittest
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from django.conf import settings
from django.db import connection
from django.test import Client, TransactionTestCase

from patrol.models import OnCallReason, OnCallRequest
from patrol.services import on_call
from tests.base import make_people
from tests.patrol_browser import FileDatabaseMixin
from tests.servers import DaphneServer, UvicornServer

REDIS_URL = os.getenv("REDIS_URL") or "redis://127.0.0.1:6379/3"


def redis_missing_reason() -> str | None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as error:
        return f"TWO-SERVER TEST SKIPPED: Redis is not reachable at {REDIS_URL} ({error})"
    return None


class WebSocketClient:
    """Just enough of RFC 6455 to talk to our consumer: text frames, ping, close."""

    def __init__(self, port: int, path: str, cookie: str = "", timeout: float = 10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            f"GET {path} HTTP/1.1",
            f"Host: 127.0.0.1:{port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
            f"Origin: http://127.0.0.1:{port}",
        ]
        if cookie:
            lines.append(f"Cookie: {cookie}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            response += chunk
        head, _, self.buffer = response.partition(b"\r\n\r\n")
        self.status = int(head.split()[1]) if head else 0

    def _read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("socket closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _send(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        header = bytes([0x80 | opcode])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        elif len(payload) < 65536:
            header += bytes([0x80 | 126]) + struct.pack("!H", len(payload))
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", len(payload))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def send_json(self, data) -> None:
        self._send(0x1, json.dumps(data).encode())

    def receive_json(self, timeout: float = 5):
        self.sock.settimeout(timeout)
        message = b""
        while True:
            first, second = self._read(2)
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                length = struct.unpack("!H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", self._read(8))[0]
            payload = self._read(length)
            if opcode == 0x8:
                raise ConnectionError("server closed the socket")
            if opcode == 0x9:
                self._send(0xA, payload)
                continue
            if opcode in (0x1, 0x0):
                message += payload
                if first & 0x80:
                    return json.loads(message)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._send(0x8, b"")
        self.sock.close()


class TwoServersTest(FileDatabaseMixin, TransactionTestCase):
    @classmethod
    def setUpClass(cls):
        reason = redis_missing_reason()
        if reason:
            print(f"\n!!!! {reason}\n")
            raise unittest.SkipTest(reason)
        super().setUpClass()

    def setUp(self):
        make_people(self)
        on_call.on_call_reasons_ensure_defaults()
        self.reason = OnCallReason.objects.order_by("position").first()
        self.servers: list[DaphneServer] = []
        self.sockets: list[WebSocketClient] = []

    def tearDown(self):
        for client in self.sockets:
            client.close()
        for server in self.servers:
            server.stop()

    def server_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
        env |= {
            "DJANGO_SETTINGS_MODULE": "conduct.settings",
            "REDIS_URL": REDIS_URL,
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        db = connection.settings_dict
        if connection.vendor == "sqlite":
            env["SQLITE_PATH"] = db["NAME"]  # FileDatabaseMixin's file copy of the test database
        else:
            user = urllib.parse.quote(db["USER"] or "")
            password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
            host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            env["DATABASE_URL"] = f"postgres://{user}{password}@{host}/{db['NAME']}"
        return env

    def start_server(self) -> DaphneServer:
        server = DaphneServer(self.server_env())
        self.servers.append(server)
        return server

    def session_cookie(self, user) -> str:
        # A browser of their own: signing one person in on a shared client would end the
        # previous person's session, and their socket with it.
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        return f"{name}={client.cookies[name].value}"

    def listen(self, server: DaphneServer, user) -> WebSocketClient:
        client = WebSocketClient(server.port, "/ws/on-call/", cookie=self.session_cookie(user))
        self.assertEqual(client.status, 101, "the socket opens for a signed-in patrol officer")
        self.sockets.append(client)
        return client

    def raise_through(self, server: DaphneServer, user, where: str) -> None:
        """What the teacher's browser does: open the raise page, tap a reason."""
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.addheaders = [("Cookie", self.session_cookie(user))]
        url = f"http://127.0.0.1:{server.port}/on-call/raise/"
        opener.open(url, timeout=10).read()
        token = next(c.value for c in jar if c.name == settings.CSRF_COOKIE_NAME)
        opener.addheaders = [("Cookie", f"{self.session_cookie(user)}; csrftoken={token}")]
        form = {
            "csrfmiddlewaretoken": token,
            "location": where,
            "urgency": "urgent",
            "reason": self.reason.pk,
        }
        response = opener.open(url, urllib.parse.urlencode(form).encode(), timeout=10)
        self.assertIn("/on-call/", response.url)

    def test_it_pushes_a_request_raised_on_one_server_to_a_client_of_the_other(self):
        server_a, server_b = self.start_server(), self.start_server()
        patrol = self.listen(server_a, self.bob)
        self.assertEqual(patrol.receive_json()["type"], "snapshot")
        self.raise_through(server_b, self.alice, "Sports hall")
        event = patrol.receive_json(timeout=10)
        self.assertEqual((event["type"], event["kind"]), ("event", "raised"))
        self.assertEqual(event["request"]["where"], "Sports hall")
        self.assertIn("Claim", event["html"])

    def test_it_loses_no_request_when_a_server_restarts(self):
        server = self.start_server()
        patrol = self.listen(server, self.bob)
        patrol.receive_json()
        self.raise_through(server, self.alice, "Drama studio")
        self.assertEqual(patrol.receive_json(timeout=10)["kind"], "raised")
        server.stop()
        self.servers.remove(server)
        with self.assertRaises((ConnectionError, OSError)):
            patrol.receive_json(timeout=5)
        restarted = self.start_server()
        again = self.listen(restarted, self.bob)
        snapshot = again.receive_json(timeout=10)
        self.assertEqual([r["where"] for r in snapshot["open"]], ["Drama studio"])
        self.assertEqual(OnCallRequest.objects.get().status, "open")

    def test_it_serves_pages_and_pushes_calls_with_uvicorns_workers(self):
        """docs/deploy.md's production set-up: uvicorn, two worker processes on one address,
        Redis between them. Every connected phone hears the call, whichever worker took it."""
        server = UvicornServer(self.server_env())
        self.servers.append(server)
        server.wait_for_workers()
        self.assertEqual(len(server.worker_pids()), 2)
        phones = [self.listen(server, self.bob) for _ in range(6)]
        for phone in phones:
            self.assertEqual(phone.receive_json(timeout=10)["type"], "snapshot")
        self.raise_through(server, self.alice, "Library")
        for phone in phones:
            event = phone.receive_json(timeout=10)
            self.assertEqual((event["kind"], event["request"]["where"]), ("raised", "Library"))

    def test_it_refuses_the_socket_without_a_session(self):
        server = self.start_server()
        client = WebSocketClient(server.port, "/ws/on-call/")
        self.assertEqual(client.status, 403)
        client.sock.close()
