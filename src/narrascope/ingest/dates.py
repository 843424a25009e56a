"""Publication dates from any reader normalised to ISO YYYY-MM-DD ("" when unparseable)."""

from __future__ import annotations

import datetime as dt
import re
import time

from dateutil import parser as dateparser

_DAY_FIRST = re.compile(r"^\s*\d{1,2}[./]\d{1,2}[./]\d{2,4}")
_YEAR_ONLY = re.compile(r"^\s*\d{4}\s*$")
_HAS_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_EPOCH_RANGE = (100_000_000, 4_102_444_800)  # 1973 .. 2100, in seconds
_DEFAULT = dt.datetime(2000, 1, 1)


def normalise_date(value: object) -> str:
    """An ISO date (YYYY-MM-DD) from a string, datetime, date, struct_time or epoch seconds; "" if none."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, time.struct_time):
        return time.strftime("%Y-%m-%d", value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_epoch(float(value))
    return _from_string(str(value))


def _from_epoch(seconds: float) -> str:
    if seconds > _EPOCH_RANGE[1] * 1000:
        return ""
    if seconds > _EPOCH_RANGE[1]:
        seconds /= 1000  # milliseconds
    if not _EPOCH_RANGE[0] <= seconds <= _EPOCH_RANGE[1]:
        return ""
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).strftime("%Y-%m-%d")


def _from_string(text: str) -> str:
    text = text.strip()
    if not text or len(text) > 100 or _YEAR_ONLY.match(text) or not _HAS_YEAR.search(text):
        return ""
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).strftime("%Y-%m-%d")
    except ValueError:
        pass
    try:
        parsed = dateparser.parse(text, dayfirst=bool(_DAY_FIRST.match(text)), default=_DEFAULT)
    except (ValueError, OverflowError, TypeError):
        return ""
    return parsed.strftime("%Y-%m-%d") if 1900 <= parsed.year <= 2100 else ""
