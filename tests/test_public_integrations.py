"""The adapters to other stages: neutral only while the stage's module does not exist."""

import datetime
import sys
import types

import pytest

from portal import integrations
from portal.archive import TimelineEntry


def test_missing_modules_give_neutral_values(monkeypatch):
    monkeypatch.setitem(sys.modules, "linkage.selectors", None)  # import raises ModuleNotFound
    monkeypatch.setitem(sys.modules, "ratings.selectors", None)
    monkeypatch.setitem(sys.modules, "linkage.openapi", None)
    assert integrations.pending_comment_count() is None
    assert integrations.unacknowledged_notice_count() is None
    assert integrations.overdue_hazard_count() is None
    assert integrations.supervision_tier_for(object()) is None
    assert integrations.public_status_changes(object()) == []
    assert integrations.openapi_fragment() == {"paths": {}, "schemas": {}, "security_schemes": {}}


def test_a_present_module_without_the_function_is_an_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "linkage.selectors", types.ModuleType("linkage.selectors"))
    with pytest.raises(AttributeError):
        integrations.overdue_hazard_count()


def test_status_changes_are_normalised(monkeypatch):
    class Change:
        date = datetime.date(2026, 1, 2)
        title = "列为重点监管对象"
        detail = ""

    module = types.ModuleType("linkage.selectors")
    module.public_status_changes = lambda unit: [
        Change(),
        {"date": datetime.date(2026, 3, 4), "title": "解除重点监控", "url": "/x/"},
        TimelineEntry(datetime.date(2026, 5, 6), "信用修复"),
        (datetime.date(2026, 7, 8), "列为事故隐患重点监控单位"),
    ]
    monkeypatch.setitem(sys.modules, "linkage.selectors", module)
    changes = integrations.public_status_changes(object())
    assert [change.title for change in changes] == [
        "列为重点监管对象",
        "解除重点监控",
        "信用修复",
        "列为事故隐患重点监控单位",
    ]
    assert changes[3].date == datetime.date(2026, 7, 8)
    assert changes[1].url == "/x/"


def test_the_supervision_tier_is_shown_by_its_label(monkeypatch):
    from django.db import models

    class Tier(models.TextChoices):
        SELF = "self", "自主管理"

    selectors = types.ModuleType("linkage.selectors")
    selectors.supervision_tier_for = lambda unit: "self"
    linkage_models = types.ModuleType("linkage.models")
    linkage_models.Tier = Tier
    monkeypatch.setitem(sys.modules, "linkage.selectors", selectors)
    monkeypatch.setitem(sys.modules, "linkage.models", linkage_models)
    assert integrations.supervision_tier_for(object()) == "自主管理"
