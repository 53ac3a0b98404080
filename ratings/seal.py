"""The bureau's electronic seal: PAdES signatures on certificates and bulletins (pyHanko).

The deployment configures the key and certificate with SEAL_KEY_FILE / SEAL_CERT_FILE (PEM; the
key may be protected by SEAL_KEY_PASSPHRASE). In development and tests, when neither is set,
a demo key and self-signed certificate are generated into ``.local/keys/`` on first use (never
committed: ``.gitignore`` excludes the folder and ``*.pem``). Production refuses to sign
without a configured key (SEAL_ALLOW_DEMO_KEY is False there). See docs/decisions/0034.
"""

from __future__ import annotations

import datetime
import threading
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SIGNATURE_FIELD = "BureauSeal"
_generate_lock = threading.Lock()


class SealUnavailable(ImproperlyConfigured):
    """No seal key is configured (or it cannot be read): nothing can be sealed now."""


def demo_key_dir() -> Path:
    return Path(settings.BASE_DIR) / ".local" / "keys"


def seal_paths() -> tuple[Path, Path]:
    """(key, certificate) PEM paths, generating the demo pair where that is allowed."""
    key_file = getattr(settings, "SEAL_KEY_FILE", "")
    cert_file = getattr(settings, "SEAL_CERT_FILE", "")
    if key_file and cert_file:
        return Path(key_file), Path(cert_file)
    if not getattr(settings, "SEAL_ALLOW_DEMO_KEY", False):
        raise SealUnavailable("Set SEAL_KEY_FILE and SEAL_CERT_FILE to sign documents.")
    directory = demo_key_dir()
    key_path, cert_path = directory / "seal-demo-key.pem", directory / "seal-demo-cert.pem"
    with _generate_lock:
        if not (key_path.exists() and cert_path.exists()):
            _generate_demo_pair(key_path, cert_path)
    return key_path, cert_path


def _generate_demo_pair(key_path: Path, cert_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    # ECDSA P-256: loading an RSA key costs ~0.2 s per signature in pyHanko, EC almost nothing.
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "新郑市安全生产监督管理局（演示）"),
            x509.NameAttribute(NameOID.COMMON_NAME, "新郑市安监局电子印章（演示）"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


@lru_cache(maxsize=4)
def _signer(key_path: str, cert_path: str):
    from pyhanko.sign import signers

    passphrase = getattr(settings, "SEAL_KEY_PASSPHRASE", "") or None
    signer = signers.SimpleSigner.load(
        key_path, cert_path, key_passphrase=passphrase.encode() if passphrase else None
    )
    if signer is None:
        raise SealUnavailable("The seal key or certificate could not be read.")
    return signer


def certificate_pem() -> bytes:
    """The seal's public certificate, published for offline checking."""
    try:
        return seal_paths()[1].read_bytes()
    except OSError as error:
        raise SealUnavailable(f"The seal certificate could not be read: {error}") from error


# Bytes reserved for the signature container, per signer, learnt from the first signature of
# the process. Without it pyHanko signs every document twice: a dummy signature to estimate
# the size, then the real one (a third of a certificate's time, docs/benchmarks/certificates.md).
_reserved: dict[int, int] = {}
RESERVE_MARGIN = 512  # bytes: an ECDSA/RSA signature and the signing time vary by a few


def sign_pdf(pdf: bytes, *, reason: str, location: str = "新郑市") -> bytes:
    """Return ``pdf`` with a PAdES B-B signature of the bureau's seal over the whole file."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    key_path, cert_path = seal_paths()
    signer = _signer(str(key_path), str(cert_path))
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )

    def sign(reserved: int | None) -> bytes:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        output = signers.sign_pdf(writer, metadata, signer=signer, bytes_reserved=reserved)
        return output.getvalue()

    reserved = _reserved.get(id(signer))
    if reserved is not None:
        try:
            return sign(reserved)
        except Exception:  # noqa: BLE001 - a larger signature than learnt: estimate again
            _reserved.pop(id(signer), None)
    signed = sign(None)
    # pyHanko counts the reservation in hex digits of /Contents: two per byte.
    _reserved[id(signer)] = 2 * (_container_size(signed) + RESERVE_MARGIN)
    return signed


def _container_size(pdf: bytes) -> int:
    from asn1crypto import cms
    from pyhanko.pdf_utils.reader import PdfFileReader

    # /Contents is the container followed by the zero padding that was reserved.
    contents = bytes(PdfFileReader(BytesIO(pdf)).embedded_signatures[0].pkcs7_content)
    return len(cms.ContentInfo.load(contents, strict=False).dump())


def verify_pdf(pdf: bytes, *, trust_pem: bytes | None = None) -> bool:
    """True when ``pdf`` carries an intact seal signature covering the whole file, made by a
    certificate that chains to ``trust_pem`` (by default the configured seal certificate)."""
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    trust_pem = trust_pem or certificate_pem()
    _, _, der = pem.unarmor(trust_pem)
    context = ValidationContext(trust_roots=[x509.Certificate.load(der)], allow_fetching=False)
    try:
        reader = PdfFileReader(BytesIO(pdf))
        signatures = reader.embedded_signatures
        if len(signatures) != 1:
            return False
        status = validate_pdf_signature(signatures[0], context)
    except Exception:  # noqa: BLE001 - a damaged file is simply not a valid sealed document
        return False
    return bool(
        status.intact
        and status.valid
        and status.trusted
        and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    )
