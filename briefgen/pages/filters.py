"""The filters briefgen adds to Jinja2: dates shown the same in every locale and time zone."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _as_date(value: dt.date) -> dt.date:
    """Return the calendar date of a date or datetime (aware datetimes in UTC)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.date()
    return value


def date_display(value: dt.date | None) -> str:
    """Format a date for readers, the same in every locale: '15 September 2022'."""
    if value is None:
        return ""
    day = _as_date(value)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def weekday(value: dt.date | None) -> str:
    """Return the English name of a date's weekday: 'Thursday'."""
    if value is None:
        return ""
    return _WEEKDAYS[_as_date(value).weekday()]


def iso_date(value: dt.date | None) -> str:
    """Format a date as ISO 8601: '2022-09-15'."""
    if value is None:
        return ""
    return _as_date(value).isoformat()


def rfc3339(value: dt.date | None) -> str:
    """Format a date or datetime as an RFC 3339 timestamp in UTC: '2022-09-15T00:00:00Z'."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        moment = value.astimezone(dt.UTC) if value.tzinfo is not None else value
        return moment.replace(tzinfo=None, microsecond=0).isoformat() + "Z"
    return f"{value.isoformat()}T00:00:00Z"


def html_source(value: object) -> Markup:
    """Escape HTML itself as text, for Atom elements of ``type="html"``."""
    return escape(str(value))


FILTERS = {
    "date_display": date_display,
    "weekday": weekday,
    "iso_date": iso_date,
    "rfc3339": rfc3339,
    "html_source": html_source,
}
