"""Workshop rules: setting up a workshop, joining it, assigning groups, planning the rotation."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _
from sqlalchemy import delete, or_, select

from ..accounts.models import User
from ..curriculum.library import Curriculum
from ..extensions import db
from ..validation import Invalid, require_length
from . import planning
from .models import (BreakoutGroup, Facilitator, Member, Room, RotationCell, SessionItem,
                     Workshop, WorkshopSession)

LANGUAGE_CODES = ("en", "es", "fr")
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on a card


def language_names() -> dict[str, str]:
    return {"en": _("English"), "es": _("Spanish"), "fr": _("French")}


def clean_languages(values: list[str], errors: dict, field: str = "languages") -> str:
    chosen = [code for code in LANGUAGE_CODES if code in values]
    if not chosen:
        errors[field] = _("Choose at least one language.")
    return ",".join(chosen)


def parse_date(value: str, errors: dict, field: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        errors[field] = _("Enter a date as YYYY-MM-DD.")
        return None


def parse_local_datetime(day: str, time: str, errors: dict, field: str) -> datetime | None:
    try:
        return datetime.fromisoformat(f"{day.strip()}T{time.strip()}")
    except ValueError:
        errors[field] = _("Enter a date as YYYY-MM-DD and a time as HH:MM.")
        return None


# -- the workshop and its parts ------------------------------------------------------------------
def create_workshop(organiser: User, form: dict) -> Workshop:
    errors: dict[str, str] = {}
    title, venue = form.get("title", "").strip(), form.get("venue", "").strip()
    require_length(errors, "title", title, 200, _("Give the workshop a title (at most 200 characters)."))
    require_length(errors, "venue", venue, 200, _("Name the venue (at most 200 characters)."))
    starts = parse_date(form.get("starts_on", ""), errors, "starts_on")
    ends = parse_date(form.get("ends_on", ""), errors, "ends_on")
    if starts and ends and ends < starts:
        errors["ends_on"] = _("The workshop cannot end before it starts.")
    timezone = form.get("timezone", "").strip()
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = _("Enter a time zone such as Europe/Zurich or America/Mexico_City.")
    languages = clean_languages(form.get("languages", []), errors)
    if errors:
        raise Invalid(errors)
    workshop = Workshop(title=title, venue=venue, starts_on=starts, ends_on=ends,
                        timezone=timezone, languages=languages, join_code=new_join_code(),
                        organiser_id=organiser.id)
    db.session.add(workshop)
    db.session.flush()
    return workshop


def new_join_code() -> str:
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(8))
        if db.session.scalar(select(Workshop.id).where(Workshop.join_code == code)) is None:
            return code


def add_room(workshop: Workshop, form: dict) -> Room:
    errors: dict[str, str] = {}
    name = form.get("name", "").strip()
    require_length(errors, "room_name", name, 100, _("Name the room (at most 100 characters)."))
    capacity = form.get("capacity", "")
    if not capacity.isdigit() or not 0 < int(capacity) <= 1000:
        errors["capacity"] = _("Give the number of seats (1 to 1000).")
    languages = clean_languages(form.get("languages", []), errors, "room_languages")
    if not errors and any(room.name.lower() == name.lower() for room in workshop.rooms):
        errors["room_name"] = _("This workshop already has a room with that name.")
    if errors:
        raise Invalid(errors)
    room = Room(workshop_id=workshop.id, name=name, capacity=int(capacity), languages=languages)
    workshop.rooms.append(room)
    db.session.flush()
    return room


def add_group(workshop: Workshop, form: dict) -> BreakoutGroup:
    errors: dict[str, str] = {}
    name = form.get("name", "").strip()
    require_length(errors, "group_name", name, 100, _("Name the group (at most 100 characters)."))
    room = next((r for r in workshop.rooms if str(r.id) == form.get("room_id")), None)
    if room is None:
        errors["group_room"] = _("Choose the group's room.")
    if not errors and any(g.name.lower() == name.lower() for g in workshop.groups):
        errors["group_name"] = _("This workshop already has a group with that name.")
    if errors:
        raise Invalid(errors)
    group = BreakoutGroup(workshop_id=workshop.id, name=name, room_id=room.id)
    workshop.groups.append(group)
    db.session.flush()
    return group


def add_session(workshop: Workshop, form: dict, curriculum: Curriculum) -> WorkshopSession:
    errors: dict[str, str] = {}
    title = form.get("title", "").strip()
    require_length(errors, "session_title", title, 200, _("Give the session a title."))
    starts = parse_local_datetime(form.get("day", ""), form.get("start", ""), errors, "session_day")
    ends = parse_local_datetime(form.get("day", ""), form.get("end", ""), errors, "session_day")
    if starts and ends and ends <= starts:
        errors["session_end"] = _("The session must end after it starts.")
    if starts and not workshop.starts_on <= starts.date() <= workshop.ends_on:
        errors["session_day"] = _("The session must fall within the workshop's dates.")
    kind = form.get("kind", "")
    if kind not in ("plenary", "breakout"):
        errors["session_kind"] = _("Choose plenary or break-out.")
    items = session_items(form.get("items", []), curriculum, errors)
    if errors:
        raise Invalid(errors)
    session = WorkshopSession(workshop_id=workshop.id, title=title, starts_at=starts, ends_at=ends,
                              kind=kind, items=items)
    workshop.sessions.append(session)
    db.session.flush()
    return session


def session_items(values: list[str], curriculum: Curriculum, errors: dict) -> list[SessionItem]:
    """Values are "2.6" (a whole chapter) or "2.6#exercise-id" (one exercise), in order."""
    items: list[SessionItem] = []
    for value in dict.fromkeys(v.strip() for v in values if v.strip()):
        number, _sep, anchor = value.partition("#")
        chapter = curriculum.chapter(number)
        if chapter is None or (anchor and chapter.exercise(anchor) is None):
            errors["session_items"] = _("Choose chapters and exercises from the list.")
            return []
        items.append(SessionItem(position=len(items) + 1, chapter_number=number,
                                 exercise_anchor=anchor or None))
    return items


def add_facilitator(workshop: Workshop, form: dict) -> Facilitator:
    errors: dict[str, str] = {}
    email = form.get("email", "").strip().lower()
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None or not user.is_trainer:
        errors["facilitator_email"] = _("Facilitators are trainer accounts: no trainer has this "
                                        "e-mail address.")
    languages = clean_languages(form.get("languages", []), errors, "facilitator_languages")
    if user is not None and any(f.user_id == user.id for f in workshop.facilitators):
        errors["facilitator_email"] = _("This trainer already facilitates the workshop.")
    if errors:
        raise Invalid(errors)
    facilitator = Facilitator(workshop_id=workshop.id, user_id=user.id, languages=languages)
    workshop.facilitators.append(facilitator)
    db.session.flush()
    return facilitator


# -- joining -------------------------------------------------------------------------------------
def workshop_by_code(code: str) -> Workshop | None:
    code = re.sub(r"[^A-Z0-9]", "", code.upper())
    return db.session.scalar(select(Workshop).where(Workshop.join_code == code))


def is_join_path(path: str) -> bool:
    """A workshop's join link that still works: its holder may create an account to join."""
    match = re.fullmatch(r"/join/([A-Za-z0-9-]{4,20})", path or "")
    workshop = workshop_by_code(match[1]) if match else None
    return workshop is not None and workshop.ends_on >= date.today()


def membership(workshop: Workshop, user: User) -> Member | None:
    return db.session.scalar(select(Member).where(Member.workshop_id == workshop.id,
                                                  Member.user_id == user.id))


def join_workshop(workshop: Workshop, user: User, form: dict) -> Member:
    """Join, or update one's languages, organisation and country."""
    errors: dict[str, str] = {}
    languages = clean_languages(form.get("languages", []), errors)
    organisation = form.get("organisation", "").strip()[:200] or None
    country = form.get("country", "").strip()[:100] or None
    if errors:
        raise Invalid(errors)
    member = membership(workshop, user) or Member(workshop_id=workshop.id, user_id=user.id)
    member.languages, member.organisation, member.country = languages, organisation, country
    db.session.add(member)
    db.session.flush()
    return member


# -- groups --------------------------------------------------------------------------------------
def assign_groups(workshop: Workshop) -> list[Member]:
    """Place every participant not locked; returns those no group could take."""
    groups = [planning.Group(g.id, g.room.capacity, g.room.language_set) for g in workshop.groups]
    people = [planning.Participant(m.id, m.language_set, m.organisation, m.country,
                                   m.group_id if m.is_locked else None) for m in workshop.members]
    plan = planning.assign_groups(people, groups)
    for member in workshop.members:
        member.group_id = plan.groups.get(member.id)
    return [m for m in workshop.members if m.group_id is None]


def move_member(workshop: Workshop, member_id: str, group_id: str, lock: bool) -> Member:
    member = next((m for m in workshop.members if str(m.id) == member_id), None)
    group = next((g for g in workshop.groups if str(g.id) == group_id), None)
    if member is None or (group_id and group is None):
        raise Invalid({"member": _("Choose a participant and one of this workshop's groups.")})
    member.group_id = group.id if group else None
    member.is_locked = lock and group is not None
    return member


# -- rotation ------------------------------------------------------------------------------------
def breakout_sessions(workshop: Workshop) -> list[WorkshopSession]:
    return [s for s in workshop.sessions if s.kind == "breakout"]


def rotation_cells(workshop: Workshop) -> dict[tuple[int, int], int]:
    """(session id, group id) -> facilitator id."""
    ids = [s.id for s in breakout_sessions(workshop)]
    rows = db.session.scalars(select(RotationCell).where(RotationCell.session_id.in_(ids))) if ids else []
    return {(r.session_id, r.group_id): r.facilitator_id for r in rows}


def planning_inputs(workshop: Workshop):
    groups = [planning.Group(g.id, g.room.capacity, g.room.language_set) for g in workshop.groups]
    facilitators = [planning.Facilitator(f.id, f.language_set) for f in workshop.facilitators]
    return groups, facilitators


def propose_rotation(workshop: Workshop) -> None:
    """Replace the rotation of every break-out session with the planner's proposal."""
    sessions = breakout_sessions(workshop)
    groups, facilitators = planning_inputs(workshop)
    rotation = planning.plan_rotation(len(sessions), groups, facilitators)
    db.session.execute(delete(RotationCell).where(RotationCell.session_id.in_([s.id for s in sessions])))
    for session, cells in zip(sessions, rotation.cells):
        for group_id, facilitator_id in cells.items():
            db.session.add(RotationCell(session_id=session.id, group_id=group_id,
                                        facilitator_id=facilitator_id))


def set_rotation_cell(workshop: Workshop, session_id: str, group_id: str,
                      facilitator_id: str) -> None:
    """The organiser's override of one cell ("" clears it)."""
    session = next((s for s in breakout_sessions(workshop) if str(s.id) == session_id), None)
    group = next((g for g in workshop.groups if str(g.id) == group_id), None)
    facilitator = next((f for f in workshop.facilitators if str(f.id) == facilitator_id), None)
    if session is None or group is None or (facilitator_id and facilitator is None):
        raise Invalid({"rotation": _("Choose a break-out session, a group and a facilitator of "
                                     "this workshop.")})
    cell = db.session.scalar(select(RotationCell).where(RotationCell.session_id == session.id,
                                                        RotationCell.group_id == group.id))
    if facilitator is None:
        if cell is not None:
            db.session.delete(cell)
        return
    if cell is None:
        db.session.add(RotationCell(session_id=session.id, group_id=group.id,
                                    facilitator_id=facilitator.id))
    else:
        cell.facilitator_id = facilitator.id


@dataclass(frozen=True)
class RotationGrid:
    sessions: list[WorkshopSession]
    cells: dict[tuple[int, int], int]
    issues: dict[tuple[int, int], list[str]]  # (session id, group id) -> issue kinds


def rotation_grid(workshop: Workshop) -> RotationGrid:
    sessions = breakout_sessions(workshop)
    cells = rotation_cells(workshop)
    groups, facilitators = planning_inputs(workshop)
    per_session = [{g.id: cells[(s.id, g.id)] for g in workshop.groups if (s.id, g.id) in cells}
                   for s in sessions]
    issues: dict[tuple[int, int], list[str]] = {}
    for issue in planning.rotation_issues(per_session, groups, facilitators):
        issues.setdefault((sessions[issue.session].id, issue.group), []).append(issue.kind)
    return RotationGrid(sessions, cells, issues)


def sessions_by_day(workshop: Workshop) -> list[tuple[date, list[WorkshopSession]]]:
    days: dict[date, list[WorkshopSession]] = {}
    for session in workshop.sessions:
        days.setdefault(session.starts_at.date(), []).append(session)
    return list(days.items())


# -- who sees what ------------------------------------------------------------------------------
def can_organise(user: User, workshop: Workshop) -> bool:
    return user.is_admin or workshop.organiser_id == user.id


def workshops_for(user: User) -> list[Workshop]:
    """Workshops this user organises, facilitates or takes part in."""
    facilitated = select(Facilitator.workshop_id).where(Facilitator.user_id == user.id)
    joined = select(Member.workshop_id).where(Member.user_id == user.id)
    return list(db.session.scalars(select(Workshop).where(or_(
        Workshop.organiser_id == user.id, Workshop.id.in_(facilitated), Workshop.id.in_(joined)))
        .order_by(Workshop.starts_on.desc())))
