"""Print-styled pages: the agenda, room signs, group rosters, facilitators' schedules and
participant cards. Each is an ordinary page whose print style puts one item per sheet. The agenda,
signs and cards are in every language of the workshop, room or participant (printables.py)."""
from __future__ import annotations

from flask import abort, render_template, url_for
from markupsafe import Markup
from flask_login import current_user

from ..accounts import services as accounts
from ..curriculum.library import current_curriculum
from ..extensions import db
from ..guards import login_required
from . import facilitation, printables, services
from .facilitation_views import workshop_now
from .models import Workshop
from .views import bp, organised_workshop


def print_page(template: str, workshop: Workshop, **context):
    return render_template(f"workshops/{template}", workshop=workshop,
                           curriculum=current_curriculum(), languages=services.language_names(),
                           **context)


@bp.route("/workshops/<int:workshop_id>/print/agenda")
@login_required
def print_agenda(workshop_id: int):
    workshop = db.session.get(Workshop, workshop_id) or abort(404)
    if not facilitation.is_workshop_person(workshop, current_user):
        abort(404)
    days, curriculum = services.sessions_by_day(workshop), current_curriculum()
    agendas = printables.in_each_language(
        printables.ordered_languages(workshop.language_set),
        lambda: Markup(render_template("workshops/_agenda.html", workshop=workshop, days=days,
                                       curriculum=curriculum)))
    return print_page("print_agenda.html", workshop, agendas=agendas)


@bp.route("/workshops/<int:workshop_id>/print/room-signs")
@login_required
def print_room_signs(workshop_id: int):
    workshop = organised_workshop(workshop_id)
    return print_page("print_room_signs.html", workshop,
                      signs=printables.room_signs(workshop, current_curriculum()))


@bp.route("/workshops/<int:workshop_id>/print/rosters")
@login_required
def print_rosters(workshop_id: int):
    workshop = organised_workshop(workshop_id)
    rosters = [(group, facilitation.group_members(workshop, group)) for group in workshop.groups]
    return print_page("print_rosters.html", workshop, rosters=rosters,
                      unplaced=[m for m in workshop.members if m.group_id is None])


@bp.route("/workshops/<int:workshop_id>/print/facilitators")
@login_required
def print_facilitators(workshop_id: int):
    workshop = organised_workshop(workshop_id)
    schedules = [(f, facilitation.schedule_of(workshop, f))
                 for f in sorted(workshop.facilitators, key=lambda f: f.user.display_name.lower())]
    return print_page("facilitate.html", workshop, schedules=schedules, now=None)


@bp.route("/workshops/<int:workshop_id>/print/cards")
@login_required
def print_cards(workshop_id: int):
    """One card per participant: group, room, languages and the link that gets them in."""
    workshop = organised_workshop(workshop_id)
    join_url = url_for("workshops.join", code=workshop.join_code, _external=True)
    cards = []
    for member in sorted(workshop.members, key=lambda m: m.user.display_name.lower()):
        token = accounts.welcome_token(member.user)
        welcome = url_for("accounts.welcome", user_id=member.user_id, token=token,
                          next=url_for("workshops.mine", workshop_id=workshop.id),
                          _external=True) if token else None
        cards.append(printables.participant_card(member, workshop, welcome))
    return print_page("print_cards.html", workshop, cards=cards, join_url=join_url,
                      now=workshop_now(workshop))
