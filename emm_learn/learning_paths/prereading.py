"""A path as a workshop's pre-reading: chosen by the organiser, followed by the participants, and
counted before the workshop starts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _

from ..accounts.models import User, utcnow
from ..curriculum.library import Curriculum
from ..extensions import db
from ..validation import Invalid
from ..workshops.models import Member, Workshop
from . import services
from .models import WorkshopPrereading
from .progress import PathProgress, chapters_of, learner_records, path_progress, progress_for


def prereading_path(workshop: Workshop, language: str = "en"):
    row = db.session.get(WorkshopPrereading, workshop.id)
    return services.path_of(row, language) if row is not None else None


def may_choose(workshop: Workshop, user: User, path) -> bool:
    """Ready-made paths, and paths of the organiser or of the person choosing (an administrator)."""
    return path.is_ready_made or path.owner_id in (workshop.organiser_id, user.id)


def choices(workshop: Workshop, user: User, current=None, language: str = "en"
            ) -> dict[str, list]:
    """The paths offered in the organiser's form, in two groups; the current choice always
    among them (an administrator may have chosen a path of their own)."""
    own = services.paths_owned_by(workshop.organiser_id)
    if user.id != workshop.organiser_id:
        own += services.paths_owned_by(user.id)
    if current is not None and not current.is_ready_made and current not in own:
        own.append(current)
    return {"own": own, "ready_made": services.ready_made_paths(language)}


def set_prereading(workshop: Workshop, user: User, slug: str) -> object | None:
    """Point the workshop to a path ("" removes the pre-reading); returns the path chosen."""
    row = db.session.get(WorkshopPrereading, workshop.id)
    if not slug:
        if row is not None:
            db.session.delete(row)
        return None
    path = services.find_path(slug)
    if path is None or not may_choose(workshop, user, path):
        raise Invalid({"prereading": _("Choose one of your paths or a ready-made path.")})
    if row is None:
        row = WorkshopPrereading(workshop_id=workshop.id)
        db.session.add(row)
    ref = services.reference(path)
    row.path_id, row.ready_made = ref["path_id"], ref["ready_made"]
    row.set_at = utcnow()
    return path


def workshop_starts_at(workshop: Workshop) -> datetime:
    """Midnight of the first day in the workshop's time zone, as naive UTC (like the records)."""
    try:
        zone = ZoneInfo(workshop.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = timezone.utc
    local = datetime.combine(workshop.starts_on, time(0), tzinfo=zone)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class PrereadingReport:
    path: object
    starts_on: date
    is_before_start: bool
    participants: tuple[tuple[Member, PathProgress], ...]

    @property
    def completed(self) -> int:
        return sum(progress.is_complete for _, progress in self.participants)

    @property
    def started(self) -> int:
        """Participants with at least one step done (those who completed included)."""
        return sum(progress.is_started for _, progress in self.participants)


def prereading_report(workshop: Workshop, curriculum: Curriculum, language: str = "en"
                      ) -> PrereadingReport | None:
    """Each participant's progress on the pre-reading, counting only what was done before the
    workshop's first day: afterwards the organiser still sees who came prepared."""
    path = prereading_path(workshop, language)
    if path is None:
        return None
    cutoff = workshop_starts_at(workshop)
    members = sorted(workshop.members, key=lambda m: m.user.display_name.lower())
    records = learner_records([m.user_id for m in members], chapters_of([path]), before=cutoff)
    participants = tuple((member, path_progress(path, records[member.user_id], curriculum,
                                                language))
                         for member in members)
    return PrereadingReport(path, workshop.starts_on, utcnow() < cutoff, participants)


def member_prereading(workshop: Workshop, user: User, curriculum: Curriculum,
                      language: str = "en") -> PathProgress | None:
    """A participant's own progress on the pre-reading, as of now."""
    path = prereading_path(workshop, language)
    if path is None:
        return None
    return progress_for(user, [path], curriculum, language)[0]
