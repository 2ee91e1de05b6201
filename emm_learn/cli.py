"""The ``emm-learn`` command: serve, db, create-user, check-content (and Flask's own commands).

Commands of a FlaskGroup run inside an app context unless they say with_appcontext=False.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup

from .paths import default_content_dir


def build_app():
    from . import create_app
    return create_app()


@click.group(cls=FlaskGroup, create_app=build_app, add_version_option=False,
             load_dotenv=False, set_debug_flag=False)
def main() -> None:
    """EMM Learn: the Essentials of Migration Management learning platform."""


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 to serve a training room's network).")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
def serve(host: str, port: int, threads: int) -> None:
    """Upgrade the database, then serve the app with waitress (Linux, macOS and Windows)."""
    import waitress

    from .database import upgrade_database
    app = current_app._get_current_object()
    started = time.monotonic()
    upgrade_database(app)
    announce_setup_link(app, host, port)
    click.echo(f"EMM Learn: {len(app.extensions['emm_curriculum'].chapters)} chapters loaded; "
               f"serving on http://{host}:{port}/ (ready in {time.monotonic() - started:.2f} s)")
    # A workshop room keeps hundreds of browser connections open at once; waitress accepts only
    # 100 by default and lets the rest wait unanswered.
    waitress.serve(app, host=host, port=port, threads=threads, ident="EMM Learn",
                   connection_limit=1000, clear_untrusted_proxy_headers=True, _quiet=True)


def announce_setup_link(app, host: str, port: int) -> None:
    """On an empty database, print a one-time link that creates the first administrator."""
    from .accounts import services
    from .extensions import db
    if services.has_users():
        return
    token = services.create_setup_token()
    db.session.commit()
    shown_host = "localhost" if host in ("0.0.0.0", "::", "127.0.0.1") else host
    click.echo("No account exists yet. Open this one-time link to create the first administrator:")
    click.echo(f"    http://{shown_host}:{port}/setup/{token}")
    click.echo("(or run: emm-learn create-user --role admin)")


@main.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", "display_name", prompt="Name")
@click.option("--role", type=click.Choice(["learner", "trainer", "admin"]), default="learner",
              show_default=True)
@click.password_option(help="Prompted for, hidden, when not given.")
def create_user_command(email: str, display_name: str, role: str, password: str) -> None:
    """Create an account (the first administrator, for example)."""
    from .accounts import services
    from .database import upgrade_database
    from .extensions import db
    from .validation import Invalid
    upgrade_database(current_app._get_current_object())
    try:
        user = services.create_user(email, display_name, password, role=role)
    except Invalid as invalid:
        for message in invalid.errors.values():
            click.echo(f"error: {message}", err=True)
        sys.exit(2)
    db.session.commit()
    click.echo(f"Created {user.role} account {user.email}.")


@main.command("check-content", with_appcontext=False)
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
    click.echo(f"{len(curriculum.chapters)} of 32 chapters present, "
               f"{len(curriculum.glossary)} glossary terms, "
               f"{len(curriculum.problems)} problem(s).", err=True)
    sys.exit(1 if curriculum.problems else 0)


def chapter_stats(chapter) -> str:
    """One line of counts, for authors and closing notes."""
    return (f"{chapter.number:>5} {chapter.title[:38]:38} words={chapter.narrative_words:5} "
            f"sections={len(chapter.sections)} questions={len(chapter.guiding_questions)} "
            f"objectives={len(chapter.objectives)} messages={len(chapter.key_messages)} "
            f"exercises={len(chapter.exercises)} readings={len(chapter.further_reading)} "
            f"related={len(chapter.related)}")
