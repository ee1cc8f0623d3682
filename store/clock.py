"""Timestamps as the database stores them: integer microseconds since the epoch, UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from store.errors import InvalidValue

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def to_micros(moment: datetime) -> int:
    """Microseconds since the epoch; a naive datetime is taken as local time."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(micros: int) -> datetime:
    """The UTC datetime for a stored timestamp."""
    return datetime.fromtimestamp(micros // 1_000_000, UTC).replace(microsecond=micros % 1_000_000)


PERIOD_MICROS = 7 * 86_400 * 1_000_000
"""One period of the stock period cache: a week (counted from the epoch), in microseconds."""


RUNNING_TOTAL = 2_147_483_647
"""The period key of the cache row that holds a product's running total at a location: on hand now.

Greater than every week, so a sum over the weeks before a past date never includes it.
"""


def period_of(micros: int) -> int:
    """The week a timestamp falls in, numbered from the epoch: the key of the stock period cache."""
    return micros // PERIOD_MICROS


def period_start(period: int) -> int:
    """The first microsecond of a period."""
    return period * PERIOD_MICROS


def parse_timestamp(text: str) -> datetime:
    """Parse an ISO 8601 date or date-time; without a UTC offset it is local time."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(f"{text!r} is not an ISO 8601 date") from None
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment
