"""The curriculum's manifest: the three volumes and 32 chapters, their numbers and titles.

This is the single source of truth for what chapters exist; content files are checked against it.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ManifestVolume:
    number: int
    title: str
    chapters: tuple[tuple[str, str], ...]  # (number, title)


VOLUMES: tuple[ManifestVolume, ...] = (
    ManifestVolume(1, "Migration Management Foundations", (
        ("1.1", "Terminology"),
        ("1.2", "Conceptual Model for Migration Management"),
        ("1.3", "Migration and History"),
        ("1.4", "Authority and Responsibility of States"),
        ("1.5", "Rights and Obligations of Migrants"),
        ("1.6", "International Migration Law"),
        ("1.7", "International Cooperation"),
        ("1.8", "Developing Migration Legislation"),
        ("1.9", "Developing an Administrative Framework"),
        ("1.10", "Managing Perception"),
    )),
    ManifestVolume(2, "Developing Migration Policy", (
        ("2.1", "Migration and Statistical Data"),
        ("2.2", "Migration and Demography"),
        ("2.3", "Migration and Development"),
        ("2.4", "Migration and Trade"),
        ("2.5", "Migration and Family"),
        ("2.6", "Migration and Labour"),
        ("2.7", "Migration and Health"),
        ("2.8", "Migration and Security"),
        ("2.9", "Migration and Displacement"),
        ("2.10", "Migration and Gender"),
    )),
    ManifestVolume(3, "Managing Migration", (
        ("3.1", "Passport and Visa Systems"),
        ("3.2", "Immigration Systems"),
        ("3.3", "Border Management Systems"),
        ("3.4", "International Carrier Responsibilities"),
        ("3.5", "Refugee Protection"),
        ("3.6", "Integration of Migrants"),
        ("3.7", "Migration and Citizenship"),
        ("3.8", "Determination of Migrant Status and Appeals Systems"),
        ("3.9", "Return Migration"),
        ("3.10", "Management of Operational Data"),
        ("3.11", "Migration and Intelligence Systems"),
        ("3.12", "Irregular Migration"),
    )),
)

CHAPTER_TITLES: dict[str, str] = {
    number: title for volume in VOLUMES for number, title in volume.chapters
}
CHAPTER_ORDER: tuple[str, ...] = tuple(CHAPTER_TITLES)


def volume_of(chapter_number: str) -> int:
    """The volume a chapter number belongs to (``"2.6"`` -> 2)."""
    return int(chapter_number.split(".", 1)[0])
