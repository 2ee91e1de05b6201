"""The ``emm-learn`` command: serve, db, create-user, check-content and friends."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .paths import default_content_dir


@click.group()
def main() -> None:
    """EMM Learn: the Essentials of Migration Management learning platform."""


@main.command("check-content")
@click.option("--content", "content_dir", type=click.Path(path_type=Path, file_okay=False),
              default=None, help="Content folder (default: the curriculum in use).")
@click.option("--stats", is_flag=True, help="Also print each chapter's counts.")
def check_content(content_dir: Path | None, stats: bool) -> None:
    """Validate every chapter file; print problems as path:line: message."""
    from .curriculum.library import load_curriculum

    curriculum = load_curriculum(content_dir or default_content_dir())
    for problem in curriculum.problems:
        click.echo(str(problem))
    if stats:
        for chapter in curriculum.chapters.values():
            click.echo(chapter_stats(chapter))
    present = len(curriculum.chapters)
    click.echo(f"{present} of 32 chapters present, {len(curriculum.glossary)} glossary terms, "
               f"{len(curriculum.problems)} problem(s).", err=True)
    sys.exit(1 if curriculum.problems else 0)


def chapter_stats(chapter) -> str:
    """One line of counts, for authors and closing notes."""
    return (f"{chapter.number:>5} {chapter.title[:38]:38} words={chapter.narrative_words:5} "
            f"sections={len(chapter.sections)} questions={len(chapter.guiding_questions)} "
            f"objectives={len(chapter.objectives)} messages={len(chapter.key_messages)} "
            f"exercises={len(chapter.exercises)} readings={len(chapter.further_reading)} "
            f"related={len(chapter.related)}")
