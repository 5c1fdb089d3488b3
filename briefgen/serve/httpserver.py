"""The development server: serves the last good build from memory and live-reloads browsers.

Files come only from an in-memory ``Snapshot`` of the build, never from the disk, so
nothing outside the build can ever be served. ``DevServer.publish`` swaps in a new
snapshot; every request takes the snapshot once when it starts, so a response never
mixes two builds. Open pages follow the builds over one Server-Sent Events stream per
browser (``livereload/worker.js`` shares it between tabs): they reload after a
successful build, swap their stylesheets after a CSS-only one, and show the located
diagnostics in an overlay while the last build attempt has failed.

Safe by default: it binds 127.0.0.1, answers only requests whose Host names a loopback
address or the bound one (DNS rebinding), checks the Origin of the reload channel, and
rejects unsafe request targets with 400 before looking anything up.
"""

from __future__ import annotations

import errno
import secrets
import socket
import threading

from briefgen.serve.handler import Log, Served, ThreadingServer, address_family
from briefgen.serve.livereload import Channel, browser_scripts
from briefgen.serve.routing import allowed_hosts, url_host
from briefgen.serve.snapshot import Snapshot, prepare

KEEPALIVE_SECONDS = 15.0  # an SSE comment this often keeps proxies quiet and finds dead clients


class PortInUse(Exception):
    """The port is taken; ``suggestion`` is the next free one."""

    def __init__(self, host: str, port: int, suggestion: int) -> None:
        """Name the taken port and the suggested one."""
        self.host = host
        self.port = port
        self.suggestion = suggestion
        super().__init__(f"port {port} is already in use on {host}; port {suggestion} is free")


def next_free_port(host: str, port: int) -> int:
    """The first of the next 100 ports that can be bound on ``host``, else any free one."""
    for candidate in [*range(port + 1, min(port + 101, 65536)), 0]:
        with socket.socket(address_family(host), socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, candidate))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise OSError(errno.EADDRINUSE, f"no free port on {host}")


class DevServer:
    """Serves published snapshots of the build on a loopback port, with live reload."""

    def __init__(
        self,
        snapshot: Snapshot,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        live_reload: bool = True,
        log: Log | None = None,
    ) -> None:
        """Bind the port (raising PortInUse when it is taken); ``log`` gets access lines."""
        self._session = secrets.token_hex(8)
        self._host = host
        self._channel = Channel(prepare(snapshot, self._session))
        scripts = browser_scripts() if live_reload else {}
        hosts = allowed_hosts(host)
        site = Served(self._channel, hosts, live_reload, scripts, log, KEEPALIVE_SECONDS)
        try:
            self._httpd = ThreadingServer((host, port), site)
        except OSError as error:
            if error.errno != errno.EADDRINUSE or port == 0:
                raise
            raise PortInUse(host, port, next_free_port(host, port)) from None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The bound port (the one the system chose when asked for port 0)."""
        return self._httpd.server_port

    @property
    def url(self) -> str:
        """The site's address, e.g. ``http://127.0.0.1:8000/briefing/``."""
        host = url_host(self._host)
        return f"http://{host}:{self.port}{self._channel.state.href_prefix}"

    def start(self) -> None:
        """Serve in a daemon thread."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.1},
                name="briefgen-serve",
                daemon=True,
            )
            self._thread.start()

    def publish(self, snapshot: Snapshot) -> None:
        """Serve ``snapshot`` from now on and tell every reload client (thread-safe)."""
        self._channel.publish(prepare(snapshot, self._session))

    def shutdown(self) -> None:
        """Stop serving, end the reload streams and open connections, free the port."""
        self._channel.close()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()
        self._httpd.end_connections(timeout=5)
