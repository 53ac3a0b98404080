"""Phone numbers and contact names are masked except to their owner, shown in full only by an
audited action; commenters' contacts are encrypted at rest; the audit log keeps no contact in
clear."""

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.urls import reverse

from portal.personal_data import mask_name, mask_phone

pytestmark = pytest.mark.django_db


def test_masks_keep_only_what_identifies_nobody():
    assert mask_phone("13912345678") == "139****5678"
    assert mask_phone("0371-62345678") == "037****5678"
    assert mask_name("王先生") == "王**"
    assert mask_name("") == ""


def test_the_bureau_sees_a_units_contact_masked(client_as, world):
    world.unit.contact_phone = "13912345678"
    world.unit.save()
    page = client_as("bureau").get(reverse("units:detail", args=[world.unit.pk])).content.decode()
    assert "139****5678" in page and "13912345678" not in page
    assert "李*" in page and "李娜" not in page


def test_the_enterprise_sees_its_own_contact_in_full(client_as, world):
    world.unit.contact_phone = "13912345678"
    world.unit.save()
    page = client_as("enterprise").get(reverse("units:detail", args=[world.unit.pk]))
    assert "13912345678" in page.content.decode()


def test_showing_a_contact_is_a_post_and_is_recorded(client_as, world):
    world.unit.contact_phone = "13912345678"
    world.unit.save()
    client = client_as("township")
    url = reverse("portal:reveal_contact", args=["unit", world.unit.pk])
    assert client.get(url).status_code == 405
    page = client.post(url)
    assert "13912345678" in page.content.decode()
    entry = LogEntry.objects.get(additional_data__event="personal_data_shown")
    assert entry.actor == world.users["township"]
    assert entry.additional_data["kind"] == "unit"
    assert "13912345678" not in str(entry.changes)


def test_nobody_reveals_a_contact_they_could_not_read(client_as, world):
    url = reverse("portal:reveal_contact", args=["unit", world.unit.pk])
    assert client_as("township_other").post(url).status_code == 404
    assert client_as("auditadmin").post(url).status_code == 403
    assert (
        client_as("bureau").post(reverse("portal:reveal_contact", args=["bogus", 1])).status_code
        == 404
    )
    assert not LogEntry.objects.filter(additional_data__event="personal_data_shown").exists()


def test_experts_phone_is_masked_on_the_roster(client_as, world):
    page = client_as("bureau").get(reverse("evaluation:experts")).content.decode()
    assert "139****0000" in page and "13900000000" not in page


def _comment(world, name="王先生", phone="13700001234"):
    from ratings.services import publicity
    from tests.access.ratings import stage

    comment, _code = publicity.submit_comment(
        item=stage(world).item, content="意见", contact_name=name, contact_phone=phone
    )
    return comment


def test_commenters_contacts_are_encrypted_at_rest(world):
    from ratings.models import Comment

    comment = _comment(world)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_name, contact_phone FROM ratings_comment WHERE id = %s", [comment.pk]
        )
        stored = cursor.fetchone()
    assert all(value.startswith("fernet:") for value in stored)
    assert "王先生" not in "".join(stored) and "13700001234" not in "".join(stored)
    comment = Comment.objects.get(pk=comment.pk)
    assert (comment.contact_name, comment.contact_phone) == ("王先生", "13700001234")


def test_the_migration_encrypts_rows_written_in_clear(world):
    import importlib

    from django.apps import apps

    from ratings.models import Comment

    comment = _comment(world)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ratings_comment SET contact_phone = '13600001111' WHERE id = %s", [comment.pk]
        )
    migration = importlib.import_module("ratings.migrations.0006_encrypt_commenter_contacts")
    migration.encrypt_existing(apps, type("Editor", (), {"connection": connection})())
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM ratings_comment WHERE id = %s", [comment.pk])
        assert cursor.fetchone()[0].startswith("fernet:")
    assert Comment.objects.get(pk=comment.pk).contact_phone == "13600001111"


def test_the_audit_log_keeps_no_contact_in_clear(client_as, world):
    world.unit.contact_name = "赵六"
    world.unit.contact_phone = "13612345678"
    world.unit.save()
    user = world.users["township"]
    user.phone = "13512345678"
    user.save()
    for secret in ("赵六", "13612345678", "13512345678"):
        assert not LogEntry.objects.filter(changes__icontains=secret).exists(), secret
    entry = LogEntry.objects.get_for_object(world.unit).latest("pk")
    assert entry.changes_dict["contact_phone"][1] == "136****5678"
