"""Throwaway servers for fault tests, on free loopback ports: PostgreSQL, Redis, a Celery
worker, and a department's webhook endpoint.

Fault tests stop, start and kill these, never the machine's shared services.
"""

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CELERY = Path(sys.executable).with_name("celery")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float = 30, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {condition}")


def postgres_bin() -> Path | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(candidates[-1]).parent if candidates else None


def _as_postgres(args: list[str]) -> list[str]:
    # initdb refuses to run as root; the cluster then belongs to the postgres user.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class ThrowawayPostgres:
    def __init__(self):
        # Not under pytest's tmp_path: as root, the cluster's owner (postgres) must reach it.
        self.root = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.root.chmod(0o755)
        self.bin = postgres_bin()
        self.data = self.root / "pgdata"
        self.port = free_port()
        self.log = self.root / "pg.log"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/faults"

    def _run(self, *args: str) -> None:
        subprocess.run(
            _as_postgres([str(self.bin / args[0]), *args[1:]]), check=True, capture_output=True
        )

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        self.start()
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-c",
                "CREATE DATABASE faults TEMPLATE template0 ENCODING 'UTF8'",
            ],
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def crash(self) -> None:
        """Stop without letting any session finish what it was doing (crash recovery at the
        next start); a fast stop can let a transaction that was waiting on a lock commit."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def wait_for_http(url: str, timeout: float = 30) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=5)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    raise TimeoutError(url)


class ThrowawayRedis:
    """A redis-server of our own, without persistence; stop() and start() keep the port."""

    def __init__(self):
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="faults-redis-")
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", self.directory],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, interval=0.05)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def destroy(self):
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


class WorkerProcess:
    """``celery -A portal worker`` against the test database and the given broker."""

    def __init__(self, broker_url: str, **env):
        self.broker_url = broker_url
        self.env = env
        self.log = Path(tempfile.mkstemp(prefix="faults-worker-", suffix=".log")[1])
        self.process = None

    def start(self):
        from django.db import connection

        database = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
            "REDIS_URL": self.broker_url,
            **self.env,
        }
        self.log.write_text("")
        self.process = subprocess.Popen(
            [str(CELERY), "-A", "portal", "worker", "--pool", "solo", "--loglevel", "INFO"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: " ready." in self.log.read_text(), timeout=30)

    def kill(self):
        """SIGKILL: no warm shutdown, no acknowledgement, whatever was running is cut off."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None


@contextlib.contextmanager
def broker(url: str):
    """Point this process's Celery app at ``url`` (the publishing side of a test)."""
    from portal.celery import app

    previous = app.conf.broker_url
    _connect_to(app, url)
    try:
        yield
    finally:
        _connect_to(app, previous)


def _connect_to(app, url: str) -> None:
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
    # The control mailbox (ping, purge) caches its producer pool for the life of the process
    # (a kombu cached_property); Celery itself drops it after a fork. Without this, a ping
    # made before the switch keeps broadcasting to the old broker and no worker answers.
    app.control.mailbox.__dict__.pop("producer_pool", None)


class Receiver:
    """A department's endpoint on loopback: answers with the scripted status codes in turn,
    after ``delay`` seconds (or the scripted ``delays`` in turn), and keeps every request it
    got (headers, body)."""

    def __init__(self, statuses=(200,), delay: float = 0, delays=()):
        self.statuses = list(statuses)
        self.delays = list(delays) or [delay]
        self.requests: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                count = len(receiver.requests)
                time.sleep(receiver.delays[min(count, len(receiver.delays)) - 1])
                self.send_response(receiver.statuses[min(count, len(receiver.statuses)) - 1])
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/integrity"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def webhook_ids(self) -> list[str]:
        return [headers["webhook-id"] for headers, _body in self.requests]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
