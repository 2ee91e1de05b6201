"""`emm-learn demo`: the seed workshop on a fresh database, built through the same rules as the
pages use. A one-day workshop: plenary opening; break-outs on 2.6 and 3.12; groups A-E in rooms A-E,
A-C working in English, Spanish and French, D-E in English; 40 participants, 10 facilitators, and
some answers and report-backs already in, so that every page has something to show."""
from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ..accounts import services as accounts
from ..accounts.models import User
from ..curriculum.library import Curriculum
from ..extensions import db
from ..worksheets import services as worksheets
from . import facilitation, services
from .models import Workshop

DEMO_DOMAIN = "demo.emm-learn.org"
ORGANISATIONS = ["Ministry of Interior", "Border Police", "Ministry of Labour",
                 "Ministry of Foreign Affairs", "National Statistics Office", "Immigration Service",
                 "Ministry of Health", "Coast Guard"]
COUNTRIES = ["Argentina", "Senegal", "Morocco", "Mexico", "Philippines", "Jordan", "Ghana",
             "Ecuador", "Tunisia", "Thailand", "Kenya", "Peru"]
# (languages, how many): about a third of the room works in Spanish or French.
PARTICIPANT_LANGUAGES = [(["en"], 18), (["es"], 5), (["fr"], 5), (["en", "es"], 6), (["en", "fr"], 6)]
FACILITATOR_LANGUAGES = [["en", "es"]] * 3 + [["en", "fr"]] * 3 + [["en"]] * 2 + [["en", "es", "fr"]] * 2
# Participants who work in English answer in it, the others in their own language (issue 11).
SAMPLE_ANSWERS = {
    "en": [
        "In our ministry this is handled by a small unit with no written procedure yet; {topic} "
        "comes up every month and we decide case by case.",
        "We have a bilateral arrangement, but officials at the border rarely know its terms. For "
        "{topic}, training and a one-page guide would help most.",
        "Our law covers {topic} on paper. The gap is data: we cannot say how many people are "
        "concerned, so budgets follow headlines rather than needs.",
        "Three agencies share {topic} and none leads. A standing coordination meeting, with "
        "minutes, would be a realistic first step.",
    ],
    "es": [
        "En nuestro ministerio se ocupa de esto una pequeña unidad que aún no tiene un "
        "procedimiento escrito; el tema de {topic} surge cada mes y decidimos caso por caso.",
        "Tenemos un acuerdo bilateral, pero los funcionarios en la frontera rara vez conocen sus "
        "términos. En materia de {topic}, lo que más ayudaría es formación y una guía de una página.",
        "Nuestra ley trata el tema de {topic} sobre el papel. El problema son los datos: no sabemos cuántas "
        "personas están afectadas, así que los presupuestos siguen a los titulares y no a las "
        "necesidades.",
        "Tres organismos comparten el tema de {topic} y ninguno lo dirige. Una reunión de "
        "coordinación periódica, con actas, sería un primer paso realista.",
    ],
    "fr": [
        "Dans notre ministère, une petite unité s'en charge, sans procédure écrite pour l'instant ; "
        "la question {topic} revient chaque mois et nous décidons au cas par cas.",
        "Nous avons un accord bilatéral, mais les agents à la frontière en connaissent rarement les "
        "termes. Pour la question {topic}, une formation et un guide d'une page aideraient le plus.",
        "Notre loi couvre la question {topic} sur le papier. Le problème, ce sont les données : nous "
        "ne savons pas combien de personnes sont concernées, donc les budgets suivent l'actualité "
        "plutôt que les besoins.",
        "Trois administrations se partagent la question {topic} et aucune ne pilote. Une réunion de "
        "coordination régulière, avec compte rendu, serait un premier pas réaliste.",
    ],
}


@dataclass(frozen=True)
class DemoAccounts:
    password: str
    organiser: User
    facilitators: list[User]
    participants: list[User]
    workshop: Workshop


class NotEmpty(Exception):
    """The demo is built on a fresh database only: it would mix with real accounts."""


def build_demo(curriculum: Curriculum, day: date, seed: int = 2005) -> DemoAccounts:
    if db.session.scalar(select(func.count()).select_from(User)):
        raise NotEmpty()
    rng = random.Random(seed)
    password = "-".join(secrets.choice(["river", "border", "harbour", "compass", "lantern",
                                        "meadow", "bridge", "summit"]) for _ in range(3)) \
        + f"-{secrets.randbelow(90) + 10}"
    make = lambda email, name, role: accounts.create_user(email, name, password, role=role)  # noqa: E731
    make(f"admin@{DEMO_DOMAIN}", "Demo Administrator", "admin")
    organiser = make(f"organiser@{DEMO_DOMAIN}", "Olga Organiser", "trainer")
    workshop = services.create_workshop(organiser, {
        "title": "Essentials of Migration Management: review workshop", "venue": "Geneva",
        "starts_on": day.isoformat(), "ends_on": day.isoformat(), "timezone": "Europe/Zurich",
        "languages": ["en", "es", "fr"]})
    add_rooms_and_groups(workshop)
    add_sessions(workshop, curriculum, day)
    facilitators = add_facilitators(workshop, make)
    participants = add_participants(workshop, make, rng)
    services.assign_groups(workshop)
    services.propose_rotation(workshop)
    db.session.flush()
    add_answers_and_report_backs(workshop, curriculum, organiser, rng)
    return DemoAccounts(password, organiser, facilitators, participants, workshop)


def add_rooms_and_groups(workshop: Workshop) -> None:
    for letter in "ABCDE":
        languages = ["en", "es", "fr"] if letter in "ABC" else ["en"]
        room = services.add_room(workshop, {"name": f"Room {letter}", "capacity": "10",
                                            "languages": languages})
        services.add_group(workshop, {"name": f"Group {letter}", "room_id": str(room.id)})


def breakout_exercise(curriculum: Curriculum, number: str) -> str:
    chapter = curriculum.chapter(number)
    exercise = next((e for e in chapter.exercises if e.suits_breakout_group), chapter.exercises[0])
    return f"{number}#{exercise.anchor}"


def add_sessions(workshop: Workshop, curriculum: Curriculum, day: date) -> None:
    plan = [("Opening and the EMM at a glance", "09:30", "10:30", "plenary", []),
            ("Migration and Labour", "11:00", "13:00", "breakout", [breakout_exercise(curriculum, "2.6")]),
            ("Irregular Migration", "15:00", "17:00", "breakout", [breakout_exercise(curriculum, "3.12")]),
            ("Report-backs and close", "17:15", "18:00", "plenary", [])]
    for title, start, end, kind, items in plan:
        services.add_session(workshop, {"title": title, "day": day.isoformat(), "start": start,
                                        "end": end, "kind": kind, "items": items}, curriculum)


def add_facilitators(workshop: Workshop, make) -> list[User]:
    names = ["Amina Diallo", "Carlos Rivera", "Lucía Fernández", "Pierre Martin", "Fatou Ndiaye",
             "Hélène Dubois", "James Okafor", "Sarah Lee", "Rafael Moreno", "Claire Bernard"]
    users = []
    for number, (name, languages) in enumerate(zip(names, FACILITATOR_LANGUAGES), start=1):
        user = make(f"facilitator{number}@{DEMO_DOMAIN}", name, "trainer")
        services.add_facilitator(workshop, {"email": user.email, "languages": languages})
        users.append(user)
    return users


def add_participants(workshop: Workshop, make, rng: random.Random) -> list[User]:
    users, number = [], 0
    for languages, count in PARTICIPANT_LANGUAGES:
        for _ in range(count):
            number += 1
            user = make(f"participant{number:02d}@{DEMO_DOMAIN}", f"Participant {number:02d}", "learner")
            services.join_workshop(workshop, user, {
                "languages": languages, "organisation": rng.choice(ORGANISATIONS),
                "country": rng.choice(COUNTRIES)})
            users.append(user)
    return users


def add_answers_and_report_backs(workshop: Workshop, curriculum: Curriculum, organiser: User,
                                 rng: random.Random) -> None:
    """About half of each group has answered the first break-out; three groups have reported."""
    first = next(s for s in workshop.sessions if s.kind == "breakout")
    exercises = facilitation.session_exercises(first, curriculum)
    for member in workshop.members:
        if rng.random() < 0.5:
            continue
        language = "en" if "en" in member.language_set else min(member.language_set)
        for chapter, exercise in exercises:
            title = curriculum.title_in(chapter.number, language)
            topic = f"« {title} »" if language == "fr" else title.lower()
            for prompt in exercise.prompts[:2]:
                text = rng.choice(SAMPLE_ANSWERS[language]).format(topic=topic)
                worksheets.save_answer(member.user, chapter, exercise, prompt.number, text, 0,
                                       language=language)
    points = ("- Recruitment fees are still charged to workers in most of our countries.\n"
              "- Bilateral agreements exist but are rarely known at the border.\n"
              "- Open question: who should fund pre-departure training?")
    for group, ready in zip(workshop.groups[:3], (True, True, False)):
        facilitator = facilitation.cell_facilitator(first, group)
        author = facilitator.user if facilitator else organiser
        facilitation.save_report_back(first, group, author, points, 0, ready=ready, language="en")
