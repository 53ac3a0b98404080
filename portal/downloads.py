"""File downloads with Chinese names: one Content-Disposition for PDFs, CSV and Excel alike."""

import logging
import re
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._ -]+")


def _ascii_fallback(filename: str) -> str:
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    stem = _UNSAFE_ASCII.sub("_", stem).strip("_ .-") or "document"
    ext = _UNSAFE_ASCII.sub("", ext)
    return f"{stem}.{ext}" if ext else stem


def download_response(
    content: bytes, content_type: str, filename: str, *, inline: bool = False
) -> HttpResponse:
    """``content`` as a download named ``filename``.

    ``Content-Disposition`` carries an ASCII ``filename=`` fallback and the real name as an
    RFC 5987/6266 ``filename*=UTF-8''...`` parameter, which every current browser prefers.
    """
    filename = filename.replace("\r", "").replace("\n", "").replace("/", "_").replace("\\", "_")
    disposition = "inline" if inline else "attachment"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'{disposition}; filename="{_ascii_fallback(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def stored_file_response(field_file, filename: str, content_type: str) -> FileResponse:
    """An uploaded file as an attachment; a file lost from storage is a 404 with a reason (and
    an error in the log for the operators), not a server error."""
    try:
        handle = field_file.open("rb")
    except OSError as error:
        logger.error("stored file missing: name=%s error=%r", field_file.name, error)
        raise Http404(_("该文件已不在存储中，请联系市安全生产监管局。")) from error
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
