"""Evidence uploads: what the platform accepts, decided by the file's content, not its name.

A file is accepted when the ``filetype`` library recognises its bytes as one of the allowed
kinds AND its extension names that same kind, so an executable renamed ``.pdf`` and a PDF
renamed ``.exe`` are both refused. Zip-based office files must really be OOXML packages (a zip
that merely carries a ``.docx`` name is refused), and limits apply per file and per application.
"""

import hashlib
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from portal.punctuation import joined

# extension -> (MIME type, what filetype must recognise, main part of an OOXML package)
ALLOWED = {
    "pdf": ("application/pdf", "pdf", None),
    "jpg": ("image/jpeg", "jpg", None),
    "jpeg": ("image/jpeg", "jpg", None),
    "png": ("image/png", "png", None),
    "doc": ("application/msword", "doc", None),
    "xls": ("application/vnd.ms-excel", "xls", None),
    "ppt": ("application/vnd.ms-powerpoint", "ppt", None),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        "word/document.xml",
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        "xl/workbook.xml",
    ),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
        "ppt/presentation.xml",
    ),
}
ACCEPT_ATTRIBUTE = ",".join(f".{extension}" for extension in ALLOWED)
# Old binary office files share one container format; filetype tells them apart only roughly.
OLE_KINDS = {"doc", "xls", "ppt"}
HEAD_BYTES = 8192


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    content_type: str
    size: int
    sha256: str


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _is_ooxml(upload: UploadedFile, main_part: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and main_part in names


def _detected_kind(head: bytes) -> str | None:
    kind = filetype.guess(head)
    return kind.extension if kind else None


# An objection's evidence during publicity: documents a reader opens in the browser.
DOCUMENTS_AND_IMAGES = ("pdf", "jpg", "jpeg", "png")


def check_upload(upload: UploadedFile, allowed: tuple[str, ...] | None = None) -> CheckedFile:
    """Return the checked file or raise ValidationError with a message naming the file.

    ``allowed`` narrows the accepted extensions (all of ``ALLOWED`` by default)."""
    name = upload.name or ""
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name})
    if size > settings.EVIDENCE_MAX_FILE_BYTES:
        raise ValidationError(
            _("文件“%(name)s”大小为%(size)s，超过单个文件上限%(limit)s。")
            % {
                "name": name,
                "size": filesizeformat(size),
                "limit": filesizeformat(settings.EVIDENCE_MAX_FILE_BYTES),
            }
        )
    extension = _extension(name)
    if allowed is None:
        refused = ValidationError(
            _(
                "文件“%(name)s”的格式不被接受：只接受 PDF、JPG/PNG 图片和 Word、Excel、PowerPoint 文档，且扩展名须与文件内容一致。"
            )
            % {"name": name}
        )
    else:
        refused = ValidationError(
            _("文件“%(name)s”的格式不被接受：只接受 %(kinds)s 文件，且扩展名须与文件内容一致。")
            % {"name": name, "kinds": joined("、", (kind.upper() for kind in allowed))}
        )
    if extension not in ALLOWED or (allowed is not None and extension not in allowed):
        raise refused
    content_type, expected_kind, main_part = ALLOWED[extension]
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    detected = _detected_kind(head)
    if main_part is not None:
        # filetype reads only the first entries; an OOXML package is confirmed by its parts.
        if detected not in (expected_kind, "zip", None) or not _is_ooxml(upload, main_part):
            raise refused
    elif expected_kind in OLE_KINDS:
        if not head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
            raise refused
    elif detected != expected_kind:
        raise refused
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload, content_type, size, digest.hexdigest())


def check_application_total(existing_bytes: int, new_bytes: int) -> None:
    limit = settings.EVIDENCE_MAX_APPLICATION_BYTES
    if existing_bytes + new_bytes > limit:
        raise ValidationError(
            _("本申报的证明材料总大小将达到%(total)s，超过上限%(limit)s，请压缩或删减后再上传。")
            % {
                "total": filesizeformat(existing_bytes + new_bytes),
                "limit": filesizeformat(limit),
            }
        )
