"""The documents of this stage: the certificate (证书) and the bulletin (通报), sealed PDFs;
the notice before an adverse result (告知书) and the objection decision (复核决定书)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from assessments.stars import Star, star_for
from portal.pdf import qr_data_uri, render_pdf
from portal.seal_image import bureau_seal

from . import seal

CHINESE_DIGITS = "〇一二三四五六七八九"
# The certificate's paper (templates/pdf/certificate.html, .inner): its seal is printed on it.
CERTIFICATE_PAPER = "#fffdf6"


def chinese_date(value: datetime.date) -> str:
    """二〇二六年十二月一日: the date line of an official document."""

    def small(number: int) -> str:
        if number < 10:
            return CHINESE_DIGITS[number]
        tens, ones = divmod(number, 10)
        return (
            ("" if tens == 1 else CHINESE_DIGITS[tens])
            + "十"
            + (CHINESE_DIGITS[ones] if ones else "")
        )

    year = "".join(CHINESE_DIGITS[int(d)] for d in str(value.year))
    return f"{year}年{small(value.month)}月{small(value.day)}日"


def verification_url(certificate) -> str:
    return settings.SITE_URL + reverse(
        "public_ratings:verify", args=[certificate.verification_code]
    )


def certificate_pdf(certificate) -> bytes:
    rating = certificate.rating
    url = verification_url(certificate)
    context = {
        "certificate": certificate,
        "rating": rating,
        "unit": rating.unit,
        "cycle": rating.cycle,
        "stars": "★" * rating.star,
        "star_label": Star(rating.star).label,
        "issued_cn": chinese_date(certificate.issued_on),
        "verify_url": url,
        "qr": qr_data_uri(url),
        "bureau": settings.BUREAU_NAME,
        "seal": bureau_seal(paper=CERTIFICATE_PAPER),
        "paper": CERTIFICATE_PAPER,
    }
    pdf = render_pdf("pdf/certificate.html", context)
    return seal.sign_pdf(pdf, reason=f"安全生产诚信单位证书 {certificate.number}")


def bulletin_pdf(publication) -> bytes:
    ratings = list(
        publication.ratings.select_related("unit__area", "unit__industry").order_by(
            "-star", "unit__name"
        )
    )
    groups = [
        (Star(star).label, [r for r in ratings if r.star == star])
        for star in (Star.FIVE, Star.FOUR, Star.THREE, Star.NONE)
    ]
    context = {
        "publication": publication,
        "cycle": publication.cycle,
        "groups": [(label, rows) for label, rows in groups if rows],
        "counts": {label: len(rows) for label, rows in groups},
        "starred": sum(1 for r in ratings if r.star != Star.NONE),
        "total": len(ratings),
        "date_cn": chinese_date(publication.publish_on),
        "bureau": settings.BUREAU_NAME,
        "seal": bureau_seal(),
    }
    pdf = render_pdf("pdf/bulletin.html", context)
    return seal.sign_pdf(pdf, reason=f"通报 {publication.document_label}")


def notice_pdf(notice) -> bytes:
    """《不利结果告知书》: what the notice said when it was issued (its stored facts and rule)."""
    application = notice.application
    context = {
        "notice": notice,
        "unit": application.unit,
        "cycle": application.cycle,
        "rule_lines": [line for line in notice.rule.splitlines() if line.strip()],
        "period_days": settings.OBJECTION_PERIOD_WORKING_DAYS,
        "decision_days": settings.OBJECTION_DECISION_WORKING_DAYS,
        "site_url": settings.SITE_URL,
        "issued_cn": chinese_date(timezone.localdate(notice.issued_at)),
        "bureau": settings.BUREAU_NAME,
        "seal": bureau_seal(),
    }
    return render_pdf("pdf/notice.html", context)


def objection_decision_pdf(objection) -> bytes:
    """《异议复核决定书》 of a decided objection."""
    application = objection.application
    new_star = ""
    if objection.new_score is not None:
        new_star = star_for(objection.new_score, bool(objection.new_has_veto)).label
    context = {
        "objection": objection,
        "application": application,
        "unit": application.unit,
        "cycle": application.cycle,
        "number": f"新安监复〔{application.cycle.year}〕{objection.pk}号",
        "new_star": new_star,
        "decided_cn": chinese_date(timezone.localdate(objection.decided_at)),
        "bureau": settings.BUREAU_NAME,
        "seal": bureau_seal(),
    }
    return render_pdf("pdf/objection_decision.html", context)
