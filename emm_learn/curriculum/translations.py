"""Translations of the curriculum: where they live and whether they match their English original.

A translation is a chapter file under content/<language>/volumeN/ with the same file name as the
English one. Its structural headings (the seven parts, the four facilitator-note headings, the
exercise `Key: value` lines and the plan's Block column) stay in English, as markup; everything a
reader sees is translated. Its metadata names the English text it was made from:

    translated_from: <first 12 hex digits of the English file's SHA-256>

so that a later change to the English marks the translation out of date.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .model import Chapter
from .parser import parse_chapter

TRANSLATED_LANGUAGES = ("es", "fr")
HASH_LENGTH = 12


def original_path(translation_path: Path, content_dir: Path) -> Path:
    """content/es/volume2/x.md -> content/volume2/x.md"""
    relative = translation_path.resolve().relative_to(content_dir.resolve())
    return content_dir.joinpath(*relative.parts[1:])


def short_hash(chapter: Chapter) -> str:
    return chapter.source_hash[:HASH_LENGTH]


def structure_differences(original: Chapter, translation: Chapter) -> list[str]:
    """What a reader would find missing or extra in the translation, one message each."""
    differences: list[str] = []

    def compare(what: str, english, translated) -> None:
        if english != translated:
            differences.append(f"{what}: the English has {english}, the translation {translated}")

    for key in ("number", "study_minutes", "related"):
        compare(key, getattr(original, key), getattr(translation, key))
    compare("guiding questions", len(original.guiding_questions), len(translation.guiding_questions))
    compare("learning objectives", len(original.objectives), len(translation.objectives))
    compare("section ids", [s.anchor for s in original.sections],
            [s.anchor for s in translation.sections])
    compare("key messages", len(original.key_messages), len(translation.key_messages))
    compare("exercise ids", [e.anchor for e in original.exercises],
            [e.anchor for e in translation.exercises])
    for english, translated in zip(original.exercises, translation.exercises):
        compare(f"prompts of exercise {english.anchor}", len(english.prompts), len(translated.prompts))
        compare(f"format of exercise {english.anchor}", (english.mode, english.minutes,
                english.group_size, english.is_own_country), (translated.mode, translated.minutes,
                translated.group_size, translated.is_own_country))
    english_plan = original.facilitator_notes.plan if original.facilitator_notes else ()
    translated_plan = translation.facilitator_notes.plan if translation.facilitator_notes else ()
    compare("plan blocks", [(b.minutes, b.kind) for b in english_plan],
            [(b.minutes, b.kind) for b in translated_plan])
    compare("further reading", len(original.further_reading), len(translation.further_reading))
    return differences


def check_file(translation_path: Path, content_dir: Path) -> list[str]:
    """Every problem of one translation file, as 'path:line: message' lines."""
    translation, problems = parse_chapter(translation_path)
    messages = [f"{p.path}:{p.line}: {p.message}" for p in problems]
    source = original_path(translation_path, content_dir)
    if not source.exists():
        return messages + [f"{translation_path}:1: no English original at {source}"]
    original, _ = parse_chapter(source)
    if translation is None or original is None:
        return messages
    messages += [f"{translation_path}:1: {d}" for d in structure_differences(original, translation)]
    recorded = (translation.extra.get("meta") or {}).get("translated_from")
    if recorded != short_hash(original):
        messages.append(f"{translation_path}:1: translated_from is {recorded!r}; the English "
                        f"original is now {short_hash(original)!r} (out of date or not recorded)")
    return messages


if __name__ == "__main__":  # python -m emm_learn.curriculum.translations content/es/volume2/*.md
    root = Path(__file__).resolve().parents[2] / "content"
    found = [m for arg in sys.argv[1:] for m in check_file(Path(arg), root)]
    print("\n".join(found) or "no problems")
    sys.exit(1 if found else 0)
