"""TLS to PostgreSQL and Redis is configured through their URLs and reaches the drivers.

A throwaway PostgreSQL that accepts only TLS connections and a throwaway Redis that listens
only on a TLS port, both with a certificate from a CA made here; the production settings then
connect with ``DATABASE_URL=...?sslmode=verify-full&sslrootcert=...`` and
``REDIS_URL=rediss://...?ssl_ca_certs=...`` (docs/operations-setup.md, "TLS to the database
and Redis").
"""

import datetime
import ipaddress
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings

from tests.throwaway import ThrowawayPostgres, free_port, postgres_bin, wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        postgres_bin() is None or not shutil.which("redis-server"), reason="no servers"
    ),
]


def _write_key(path: Path, key) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)


def make_ca(directory: Path, name: str) -> tuple[Path, object, object]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    path = directory / f"{name}.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path, cert, key


def make_server_cert(directory: Path, ca_cert, ca_key) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    cert_path, key_path = directory / "server.crt", directory / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _write_key(key_path, key)
    return cert_path, key_path


@pytest.fixture(scope="module")
def pki():
    directory = Path(tempfile.mkdtemp(prefix="tls-pki-"))
    directory.chmod(0o755)
    ca_path, ca_cert, ca_key = make_ca(directory, "ca")
    stranger_ca, _cert, _key = make_ca(directory, "stranger-ca")
    cert, key = make_server_cert(directory, ca_cert, ca_key)
    if os.geteuid() == 0:  # the cluster runs as postgres and must read its key
        shutil.chown(key, "postgres")
    yield {"ca": ca_path, "stranger_ca": stranger_ca, "cert": cert, "key": key}
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def tls_postgres(pki):
    server = ThrowawayPostgres()
    server.init()
    # Only TLS connections from anywhere: a URL whose sslmode is lost cannot connect in clear.
    (server.data / "pg_hba.conf").write_text(
        "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 0.0.0.0/0 reject\n"
    )
    with (server.data / "postgresql.conf").open("a") as conf:
        conf.write(f"ssl = on\nssl_cert_file = '{pki['cert']}'\nssl_key_file = '{pki['key']}'\n")
    server.stop()
    server.start()
    yield server
    server.destroy()


@pytest.fixture(scope="module")
def tls_redis(pki):
    port = free_port()
    directory = tempfile.mkdtemp(prefix="tls-redis-")
    process = subprocess.Popen(
        ["redis-server", "--port", "0", "--tls-port", str(port), "--bind", "127.0.0.1"]
        + ["--tls-cert-file", str(pki["cert"]), "--tls-key-file", str(pki["key"])]
        + ["--tls-ca-cert-file", str(pki["ca"]), "--tls-auth-clients", "no"]
        + ["--save", "", "--appendonly", "no", "--dir", directory],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import socket

    def listening():
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            return False

    wait_for(listening, timeout=10, interval=0.05)
    yield port
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(directory, ignore_errors=True)


PROBE = """
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from portal.celery import app
with connection.cursor() as cursor:
    cursor.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
    print("database-tls", cursor.fetchone()[0])
cache.set("tls-probe", "ok", 30)
print("cache", cache.get("tls-probe"))
with app.connection_for_write() as broker:
    broker.ensure_connection(max_retries=1)
    print("broker", broker.default_channel.client.ping())
"""


def run_production_shell(database_url: str, redis_url: str) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_reach_postgres_and_redis_over_verified_tls(
    pki, tls_postgres, tls_redis
):
    database_url = f"{tls_postgres.url}?sslmode=verify-full&sslrootcert={pki['ca']}"
    redis_url = f"rediss://127.0.0.1:{tls_redis}/0?ssl_cert_reqs=required&ssl_ca_certs={pki['ca']}"
    result = run_production_shell(database_url, redis_url)
    assert result.returncode == 0, result.stderr
    assert "database-tls True" in result.stdout
    assert "cache ok" in result.stdout
    assert "broker True" in result.stdout


def test_database_url_options_reach_psycopg(pki, tls_postgres):
    """sslmode=disable is refused by a TLS-only server, and a certificate from another CA is
    refused by verify-full: both only happen if the query string reaches the driver."""
    for query in ("sslmode=disable", f"sslmode=verify-full&sslrootcert={pki['stranger_ca']}"):
        result = run_production_shell(f"{tls_postgres.url}?{query}", "redis://127.0.0.1:1/0")
        assert result.returncode != 0
        assert "OperationalError" in result.stderr, result.stderr


def test_redis_certificate_is_verified(pki, tls_redis):
    """A Redis whose certificate is not from the configured CA is refused by the cache."""
    from django.core.cache.backends.redis import RedisCache

    from portal.env import redis_ssl_options

    url = (
        f"rediss://127.0.0.1:{tls_redis}/0?ssl_cert_reqs=required&ssl_ca_certs={pki['stranger_ca']}"
    )
    with pytest.raises(Exception, match="certificate verify failed"):
        RedisCache(url, {}).get("anything")
    trusted = url.replace(str(pki["stranger_ca"]), str(pki["ca"]))
    assert RedisCache(trusted, {}).get("anything") is None
    assert redis_ssl_options(url)["ssl_ca_certs"] == str(pki["stranger_ca"])
