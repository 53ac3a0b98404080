"""The site's own facts every page shows (name, bureau, contact, identifiers), from settings."""

from django.conf import settings


def site_context() -> dict:
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "BUREAU_NAME": settings.BUREAU_NAME,
        "SITE": {
            "hotline": settings.SITE_HOTLINE,
            "address": settings.SITE_ADDRESS,
            "office_hours": settings.SITE_OFFICE_HOURS,
            "identifier": settings.SITE_IDENTIFIER,
            "icp_number": settings.SITE_ICP_NUMBER,
        },
    }
