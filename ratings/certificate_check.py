"""Check a certificate PDF a citizen was handed: is its seal intact, and is it the certificate
on record? Reads only; every failure is a sentence for the visitor, never an exception."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from io import BytesIO

from django.utils.translation import gettext as _

from . import seal
from .models import Certificate
from .services.certificates import ensure_pdf

MAX_BYTES = 5 * 1024 * 1024
REASON_PREFIX = "安全生产诚信单位证书 "  # ratings/documents.py signs with this reason
logger = logging.getLogger(__name__)


@dataclass
class CertificateCheck:
    problem: str = ""
    seal_intact: bool = False
    certificate: Certificate | None = None
    on_record: bool = False


def _signed_number(data: bytes) -> tuple[str | None, str]:
    """(certificate number named in the seal, problem) of a readable PDF."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        signatures = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
    except Exception:  # noqa: BLE001 - any parser failure means the file is damaged
        logger.info("uploaded certificate unreadable", exc_info=True)
        return None, _("文件已损坏或不完整，无法读取。请使用收到的原始PDF文件。")
    if not signatures:
        return None, _("文件上没有电子印章，不是监管局签发的证书原件（可能经过打印、转存或编辑）。")
    reason = str(signatures[0].sig_object.get("/Reason", ""))
    if not reason.startswith(REASON_PREFIX):
        return None, _("文件上的电子印章不是证书印章。")
    return reason[len(REASON_PREFIX) :].strip(), ""


def check_certificate_pdf(data: bytes) -> CertificateCheck:
    if len(data) > MAX_BYTES:
        return CertificateCheck(problem=_("文件超过 5 MB，不是本平台签发的证书。"))
    if not data.startswith(b"%PDF-"):
        return CertificateCheck(problem=_("这不是PDF文件。请上传证书的PDF文件。"))
    number, problem = _signed_number(data)
    if problem:
        return CertificateCheck(problem=problem)
    result = CertificateCheck(seal_intact=seal.verify_pdf(data))
    if not result.seal_intact:
        result.problem = _("电子印章已失效：文件在盖章后被修改过，或印章不是监管局的。")
        return result
    result.certificate = (
        Certificate.objects.select_related("rating__unit", "rating__cycle")
        .filter(number=number)
        .first()
    )
    if result.certificate is None:
        result.problem = _("印章完好，但平台没有编号为 %(number)s 的证书记录。") % {
            "number": number
        }
        return result
    stored = ensure_pdf(result.certificate)
    result.on_record = hashlib.sha256(stored).digest() == hashlib.sha256(data).digest()
    return result
