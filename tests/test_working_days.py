"""Working days (portal.working_days): the State Council calendar from chinesecalendar, with the
bureau's overrides winning, across 2026's Mid-Autumn and National Day holidays and the adjusted
working Sundays/Saturdays around them (2026-09-20 and 2026-10-10 are working days)."""

from datetime import date

import pytest

from portal.models import CalendarOverride
from portal.working_days import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db


def test_national_day_week_is_off_and_the_adjusted_saturday_is_a_working_day():
    assert not any(is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert is_working_day(date(2026, 10, 8))
    assert is_working_day(date(2026, 10, 10))  # Saturday, 调休上班
    assert is_working_day(date(2026, 9, 20))  # Sunday, 调休上班
    assert not is_working_day(date(2026, 10, 11))  # an ordinary Sunday


def test_counting_starts_the_day_after_and_skips_the_holiday():
    assert add_working_days(date(2026, 9, 30), 0) == date(2026, 9, 30)
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    # 10-08 Thu, 10-09 Fri, 10-10 Sat (调休), 10-12 Mon, 10-13 Tue
    assert add_working_days(date(2026, 9, 30), 5) == date(2026, 10, 13)
    # Mid-Autumn 09-25..27 off, Sunday 09-20 worked: from Friday 09-18 two days is 09-21.
    assert add_working_days(date(2026, 9, 18), 2) == date(2026, 9, 21)
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 13)) == 5


def test_an_override_entered_by_the_bureau_wins_over_the_package():
    CalendarOverride.objects.create(day=date(2026, 10, 8), is_working_day=False, note="更正")
    CalendarOverride.objects.create(day=date(2026, 10, 11), is_working_day=True, note="更正")
    assert not is_working_day(date(2026, 10, 8))
    assert is_working_day(date(2026, 10, 11))
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 9)


def test_a_year_the_package_does_not_know_counts_weekdays_plus_the_overrides():
    # chinesecalendar 1.11 has no 2027 data: the next notice is entered as overrides.
    assert is_working_day(date(2027, 1, 4))  # a Monday
    assert not is_working_day(date(2027, 1, 2))  # a Saturday
    CalendarOverride.objects.create(day=date(2027, 1, 1), is_working_day=False, note="元旦")
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1)
