"""Working days (工作日) for every time limit the rules count that way.

Objection decisions, repair decisions and service-rating tickets are due within N working days.
A working day is what the State Council's annual holiday notice says: weekdays, minus public
holidays, plus the adjusted working weekends (调休). The notice comes from the
``chinesecalendar`` package; a ``CalendarOverride`` row (edited by the bureau at
``/calendar/``) wins over it, so that next year's notice can be entered the day it is published,
before the package catches up. For a year the package does not know yet, weekdays are working
days unless an override says otherwise.

The count starts the day after ``start`` (the day of the event does not count), the way
administrative time limits are counted.
"""

from datetime import date, timedelta

import chinese_calendar


def _overrides(first: date, last: date) -> dict[date, bool]:
    from portal.models import CalendarOverride

    return dict(
        CalendarOverride.objects.filter(day__range=(first, last)).values_list(
            "day", "is_working_day"
        )
    )


def _package_says(d: date) -> bool:
    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError:  # a year the package has no notice for yet
        return d.weekday() < 5


def is_working_day(d: date) -> bool:
    """Whether ``d`` is a working day (override first, then the State Council calendar)."""
    override = _overrides(d, d).get(d)
    return _package_says(d) if override is None else override


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself never counts).

    ``add_working_days(d, 0)`` is ``d``. Reads the overrides once for the whole span.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return start
    # Longest run of non-working days in a Chinese year is 8 (National Day); 2n + 30 is ample.
    span_end = start + timedelta(days=2 * n + 30)
    overrides = _overrides(start, span_end)
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if day > span_end:
            span_end = day + timedelta(days=2 * n + 30)
            overrides |= _overrides(day, span_end)
        working = overrides.get(day)
        if working is None:
            working = _package_says(day)
        if working:
            counted += 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days fall after ``start`` up to and including ``end`` (0 if none)."""
    if end <= start:
        return 0
    overrides = _overrides(start, end)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        working = overrides.get(day)
        if working is None:
            working = _package_says(day)
        count += working
    return count
