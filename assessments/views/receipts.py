"""The public check of a 《受理回执单》 (the page its QR code opens)."""

from django.shortcuts import render

from ..receipts import receipt_by_code
from .access import allowed


@allowed
def receipt_check(request, code):
    # Any code that is not a genuine receipt's (garbled, guessed, another id) is one answer: 404.
    application = receipt_by_code(code)
    if application is None:
        return render(request, "assessments/receipt_check.html", {"unknown": True}, status=404)
    return render(request, "assessments/receipt_check.html", {"application": application})
