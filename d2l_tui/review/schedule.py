"""How an answer moves a quiz's FSRS card, and which quizzes are due.

The card lives in the quiz's progress record under `card` (FSRS's own `Card.to_dict()`, plus
`rating`, the last grade given): the newer record wins a merge between two windows, and the card
goes with it. Grades: wrong, partly right or revealed -> Again; right after a hint, or right
after a wrong try earlier the same day -> Hard; right at the first try -> Good (numeric and code
answers too: Easy would push a first lucky guess out for weeks). There are no same-day learning
steps: a missed question comes back tomorrow, and the review list shows today's misses anyway.
FSRS's default 90% retention is kept: a new card's Hard then also comes back tomorrow (its
interval rounds to one day), but with a stronger memory, so its later intervals grow faster.
Every function takes `now` (an aware datetime), so tests move the clock instead of mocking FSRS.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from fsrs import Card, Rating, Scheduler

from d2l_tui.quiz.records import QuizRecord

CARD_FIELD = "card"
"""The quiz record's field that holds the FSRS card."""
_CARD_KEYS = ("card_id", "state", "step", "stability", "difficulty", "due", "last_review")


def scheduler() -> Scheduler:
    """FSRS with no fuzzing (the same answers give the same days) and no same-day steps."""
    return Scheduler(enable_fuzzing=False, learning_steps=(), relearning_steps=())


def rating_for(before: QuizRecord, after: QuizRecord, hinted: bool, card: dict[str, Any] | None, now: datetime) -> Rating | None:
    """The grade an answer (or a reveal) gives, or None when nothing was graded (a waiting prediction)."""
    if after.attempts > before.attempts:
        if after.outcome != "right":
            return Rating.Again
        return Rating.Hard if hinted or _missed_today(card, now) else Rating.Good
    if after.revealed and not before.revealed and not after.correct:
        return Rating.Again
    return None


def _missed_today(card: dict[str, Any] | None, now: datetime) -> bool:
    """True when the card's last grade was Again, given on `now`'s day (a wrong try before this one)."""
    last = card_of(card)
    if last is None or last.last_review is None or card is None or card.get("rating") != int(Rating.Again):
        return False
    return _local_day(last.last_review) == _local_day(now)


def reschedule(card: dict[str, Any] | None, rating: Rating, now: datetime) -> dict[str, Any]:
    """The stored card after grading it `rating` at `now` (a new card when there was none usable)."""
    current = card_of(card) or Card(card_id=0, due=now)
    moved, _log = scheduler().review_card(current, rating, now)
    return {**moved.to_dict(), "rating": int(rating)}


def card_of(stored: Any) -> Card | None:
    """The FSRS card a record holds, or None when it holds none this version can read."""
    if not isinstance(stored, dict) or any(key not in stored for key in _CARD_KEYS):
        return None
    try:
        card = Card.from_dict(stored)  # type: ignore[arg-type]  # checked for its keys above
    except (TypeError, ValueError):
        return None
    return card if card.due.tzinfo is not None else None


def due_time(record: Any) -> datetime | None:
    """When a stored quiz record is due, or None when it was never scheduled."""
    card = card_of(record.get(CARD_FIELD)) if isinstance(record, dict) else None
    return card.due if card is not None else None


def end_of_day(now: datetime) -> datetime:
    """The end of `now`'s day in the local time zone: what is due before then is due today."""
    local = now.astimezone()
    return datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=local.tzinfo)


def _local_day(moment: datetime) -> Any:
    return moment.astimezone().date()


def due_ids(quizzes: dict[str, Any], now: datetime) -> list[str]:
    """Ids of the quizzes due today (by `now`'s local day), the longest overdue first."""
    limit = end_of_day(now)
    due = [(when, quiz_id) for quiz_id, record in quizzes.items() if (when := due_time(record)) is not None and when < limit]
    return [quiz_id for _when, quiz_id in sorted(due)]


def scheduled_record(stored: Any, record: QuizRecord, hinted: bool, now: datetime) -> dict[str, Any]:
    """The record to store for a quiz's new `record`, its card moved when the change was graded.

    `stored` is the record the progress file held before (its card, if any, is kept or moved).
    """
    before = QuizRecord.from_json(stored)
    card = stored.get(CARD_FIELD) if isinstance(stored, dict) else None
    result = record.to_json()
    rating = rating_for(before, record, hinted, card, now)
    if rating is not None:
        result[CARD_FIELD] = reschedule(card, rating, now)
    elif card_of(card) is not None:
        result[CARD_FIELD] = card
    return result
