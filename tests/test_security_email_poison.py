"""A name with a newline cannot poison the e-mail queue.

Names refuse control characters where they are typed or imported; a subject is flattened to one
line before it is stored; and a message that still cannot be sent is logged and set aside while
the others beside it go out, and no sweep retries it.
"""

import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal.models import Notification
from portal.notifications import notify, send_email_copies, sweep_email_copies
from tests.factories import UserFactory
from tests.test_security_input import REGISTRATION
from tests.test_units_import import GOOD_1, csv_bytes
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["郑州\n建材", "郑州\r建材", "郑州\t建材", "郑州\x1b建材"])
def test_registration_refuses_control_characters_in_the_name(client, world, name):
    units_before = Unit.objects.count()
    response = client.post(reverse("units:register"), {**REGISTRATION, "name": name})
    assert response.status_code == 200
    assert "控制字符" in str(response.context["form"].errors["name"])
    assert Unit.objects.count() == units_before


def test_import_reports_a_nul_or_newline_in_a_name_by_row(client_as, world):
    rows = [["新郑市\x00甲公司", *GOOD_1[1:]]]
    upload = io.BytesIO(csv_bytes(rows))
    upload.name = "units.csv"
    response = client_as("bureau").post("/units/import/", {"file": upload})
    assert response.status_code == 400
    assert "控制字符" in response.content.decode()
    assert not Unit.objects.filter(credit_code=GOOD_1[1]).exists()


def test_a_subject_is_stored_on_one_line(world):
    clerk = UserFactory(role="bureau", email="clerk@example.org")
    notify([clerk], "新的申报：郑州\r\nBcc: x@evil.example\n建材")
    assert Notification.objects.get(recipient=clerk).subject == (
        "新的申报：郑州 Bcc: x@evil.example 建材"
    )


def test_one_unsendable_message_does_not_block_the_one_beside_it(world, caplog):
    good = UserFactory(role="bureau", email="good@example.org")
    bad = UserFactory(role="bureau", email="bad@example.org")
    old = timezone.now() - datetime.timedelta(minutes=5)
    poisoned = Notification.objects.create(recipient=bad, subject="坏\n主题")
    fine = Notification.objects.create(recipient=good, subject="好主题")
    Notification.objects.update(created_at=old)

    assert send_email_copies([poisoned.pk, fine.pk]) == 1
    assert [message.subject for message in mail.outbox] == ["好主题"]
    assert "not retried" in caplog.text
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert sweep_email_copies() == 0  # the poisoned copy is not queued again
