"""Checks on an objection's evidence file. assessments.uploads (the evidence rules) is not on
main yet; this is the same idea in small: the type is read from the content, not the name."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ACCEPTED = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


def check_evidence(upload) -> str:
    """Return the detected content type, or raise ValidationError naming the problem."""
    limit = settings.EVIDENCE_MAX_FILE_BYTES
    if upload.size > limit:
        raise ValidationError(_("文件过大：不能超过 %(mb)d MB。") % {"mb": limit // (1024 * 1024)})
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ACCEPTED:
        raise ValidationError(_("只接受 PDF、JPEG 或 PNG 文件（按文件内容识别）。"))
    return kind.mime
