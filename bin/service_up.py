"""Exit 0 when the database (or Redis) URL given answers on its TCP port, 1 otherwise."""

import socket
import sys
from urllib.parse import urlparse

url = urlparse(sys.argv[1])
default_port = {"postgres": 5432, "postgresql": 5432, "redis": 6379}.get(url.scheme, 0)
try:
    with socket.create_connection((url.hostname or "127.0.0.1", url.port or default_port), 2):
        sys.exit(0)
except OSError:
    sys.exit(1)
