"""Sign-ins, failed sign-ins, sign-outs, exports and downloads are in the audit log, and the
audit administrator finds them in the export."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from assessments.models import Application
from portal.security_events import SecurityEvent, record_security_event
from tests.assessment_support import open_cycle, pdf_upload, sign

pytestmark = pytest.mark.django_db


def events(kind: str):
    return LogEntry.objects.filter(additional_data__event=kind).order_by("pk")


def test_a_successful_sign_in_and_the_sign_out_are_recorded(client, world):
    client.post(
        reverse("portal:login"),
        {"username": "town", "password": "Test-pass-123"},
        REMOTE_ADDR="10.1.2.3",
    )
    entry = events("login").get()
    assert entry.actor == world.users["township"]
    assert entry.remote_addr == "10.1.2.3"
    client.post(reverse("portal:logout"))
    assert events("logout").get().actor == world.users["township"]


def test_a_failed_sign_in_is_recorded_without_the_password(client, world):
    client.post(reverse("portal:login"), {"username": "town", "password": "Wrong-guess-77"})
    client.post(reverse("portal:login"), {"username": "nobody", "password": "Wrong-guess-77"})
    known, unknown = events("login_failed")
    assert known.actor is None and known.object_pk == str(world.users["township"].pk)
    assert unknown.object_repr == "nobody" and unknown.object_pk == ""
    assert not LogEntry.objects.filter(changes__icontains="Wrong-guess").exists()
    assert not LogEntry.objects.filter(additional_data__icontains="Wrong-guess").exists()


def test_every_export_is_recorded(client_as, world):
    client = client_as("bureau")
    client.get(reverse("units:export_csv"))
    client.get(reverse("units:export_xlsx"))
    paths = [entry.additional_data["path"] for entry in events("download")]
    assert paths == [reverse("units:export_csv"), reverse("units:export_xlsx")]
    assert all(entry.actor == world.users["bureau"] for entry in events("download"))


def test_the_audit_export_itself_is_recorded(client_as, world):
    client_as("auditadmin").get(reverse("portal:audit_export"))
    assert events("download").get().actor == world.users["auditadmin"]


def test_evidence_and_pdf_downloads_are_recorded(client_as, world):
    cycle = open_cycle()
    pledge = sign(cycle, world.unit, world.users["enterprise"])
    application = Application.objects.create(cycle=cycle, unit=world.unit)
    client = client_as("enterprise")
    client.post(
        reverse("assessments:self_assessment", args=[application.pk]),
        {f"item-{cycle.standard.items()[0].pk}-files": [pdf_upload("凭证.pdf")], "then": "save"},
    )
    evidence = application.evidence.get()
    evidence_url = reverse("assessments:evidence_download", args=[application.pk, evidence.pk])
    assert client.get(evidence_url).status_code == 200
    pdf_url = reverse("assessments:pledge_pdf", args=[pledge.pk])
    assert client.get(pdf_url).status_code == 200
    assert [entry.additional_data["path"] for entry in events("download")] == [
        evidence_url,
        pdf_url,
    ]


def test_a_refused_download_is_not_a_download(client_as, world):
    client_as("enterprise").get(reverse("units:export_csv"))
    assert not events("download").exists()


def test_two_factor_events_from_other_modules_land_in_the_same_log(rf, world):
    request = rf.post("/accounts/2fa/", REMOTE_ADDR="192.0.2.7")
    request.user = world.users["bureau"]
    entry = record_security_event(SecurityEvent.TWO_FACTOR_FAILED, request=request)
    assert (entry.actor, entry.remote_addr) == (world.users["bureau"], "192.0.2.7")
    assert entry.changes["event"] == ["", "双因素认证失败"]


def test_security_events_appear_in_the_audit_administrators_export(client, client_as, world):
    client.post(reverse("portal:login"), {"username": "town", "password": "Wrong-guess-77"})
    export = client_as("auditadmin").get(reverse("portal:audit_export"))
    assert "登录失败" in export.content.decode("utf-8-sig")
