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

from . import config
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
    from .search.services import build_at_start
    build_at_start(app)  # a database created just now had no search tables when the app started
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


@main.command("search-index")
@click.option("--force", is_flag=True, help="Rebuild even when the curriculum has not changed.")
def search_index(force: bool) -> None:
    """Build the search index from the curriculum (start-up does it too, when content changed)."""
    from .database import upgrade_database
    from .search import services
    app = current_app._get_current_object()
    upgrade_database(app)
    for outcome in services.index_every_language(app.extensions["emm_curriculum"], force=force):
        state = "rebuilt" if outcome.is_rebuilt else "already up to date"
        click.echo(f"Search index ({outcome.language}): {outcome.entry_count} entries, {state}.")


@main.command("demo")
@click.option("--date", "day", default=None, help="The workshop's day, YYYY-MM-DD (default: today).")
def demo(day: str | None) -> None:
    """Build the seed workshop on a fresh database and print the accounts to sign in with."""
    from datetime import date
    from flask import current_app
    from .curriculum.library import current_curriculum
    from .database import upgrade_database
    from .extensions import db
    from .workshops.demo import DEMO_DOMAIN, NotEmpty, build_demo
    upgrade_database(current_app._get_current_object())
    try:
        built = build_demo(current_curriculum(), date.fromisoformat(day) if day else date.today())
    except NotEmpty:
        raise click.ClickException("the database already has accounts: the demo needs a fresh one "
                                   "(set EMM_INSTANCE_PATH or DATABASE_URL to a new place)")
    except ValueError:
        raise click.ClickException("give the date as YYYY-MM-DD")
    db.session.commit()
    workshop = built.workshop
    click.echo(f"Demo workshop \"{workshop.title}\" on {workshop.starts_on} "
               f"(join code {workshop.join_code}).")
    click.echo(f"Every demo account has the password: {built.password}")
    click.echo(f"  administrator  admin@{DEMO_DOMAIN}")
    click.echo(f"  organiser      {built.organiser.email}   -> /workshops/{workshop.id}")
    click.echo(f"  facilitators   facilitator1@{DEMO_DOMAIN} ... facilitator{len(built.facilitators)}"
               f"@{DEMO_DOMAIN}   -> /workshops/{workshop.id}/facilitate")
    click.echo(f"  participants   participant01@{DEMO_DOMAIN} ... participant"
               f"{len(built.participants):02d}@{DEMO_DOMAIN}   -> /workshops/{workshop.id}/mine")


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
    for outdated in curriculum.outdated:  # shown as English with a notice: not a failure
        click.echo(str(outdated))
    if stats:
        for chapter in curriculum.chapters.values():
            click.echo(chapter_stats(chapter))
    click.echo(f"{len(curriculum.chapters)} of 32 chapters present, "
               f"{len(curriculum.glossary)} glossary terms, "
               f"{len(curriculum.ready_paths)} ready-made learning paths, "
               f"{len(curriculum.problems)} problem(s). "
               f"Translations: {curriculum.translation_summary()}.", err=True)
    sys.exit(1 if curriculum.problems else 0)


@main.command("export-static", with_appcontext=False)
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--zip", "make_zip", is_flag=True, help="Also write DIRECTORY.zip, one archive.")
@click.option("--force", is_flag=True,
              help="Write into a folder that is not empty, replacing an earlier export there.")
@click.option("--online-url", envvar="EMM_ONLINE_URL", default=None,
              help="Address of the online platform, named on every page (env EMM_ONLINE_URL).")
@click.option("--content", "content_dir", type=click.Path(path_type=Path, file_okay=False),
              default=None, help="Content folder (default: the curriculum in use).")
@click.option("--language", "languages", multiple=True, type=click.Choice(config.LANGUAGES),
              help="Export only this language (repeat for several; default: every language).")
def export_static_command(directory: Path, make_zip: bool, force: bool, online_url: str | None,
                          content_dir: Path | None, languages: tuple[str, ...]) -> None:
    """Write the curriculum as a static site that opens without the app (no database needed)."""
    from .export import ExportError, export_static
    try:
        report = export_static(directory, online_url=online_url, force=force,
                               make_zip=make_zip, content_dir=content_dir,
                               languages=languages or None)
    except ExportError as refused:
        click.echo(f"error: {refused}", err=True)
        sys.exit(2)
    click.echo(report.summary())


def chapter_stats(chapter) -> str:
    """One line of counts, for authors and closing notes."""
    return (f"{chapter.number:>5} {chapter.title[:38]:38} words={chapter.narrative_words:5} "
            f"sections={len(chapter.sections)} questions={len(chapter.guiding_questions)} "
            f"objectives={len(chapter.objectives)} messages={len(chapter.key_messages)} "
            f"exercises={len(chapter.exercises)} readings={len(chapter.further_reading)} "
            f"related={len(chapter.related)}")


@main.group("catalogs")
def catalogs_group() -> None:
    """The interface's Spanish and French message catalogs (emm_learn/translations)."""


@catalogs_group.command("update", with_appcontext=False)
def catalogs_update() -> None:
    """Extract every marked string and merge it into each catalog (new strings arrive empty)."""
    from .catalogs import update_catalogs
    for language, missing in update_catalogs().items():
        click.echo(f"{language}: {missing} strings to translate")


@catalogs_group.command("compile", with_appcontext=False)
def catalogs_compile() -> None:
    """Compile the catalogs (.po -> .mo); the install does it too."""
    from .catalogs import compile_catalogs
    for result in compile_catalogs():
        click.echo(f"{result.language}: {result.messages} translated strings compiled")


@catalogs_group.command("check", with_appcontext=False)
def catalogs_check() -> None:
    """List the strings the interface would show untranslated; exit 1 if there are any."""
    from .catalogs import (catalog_languages, extract_catalog, po_path, read_catalog,
                           stale_messages)
    extracted, problems = extract_catalog(), 0
    for language in catalog_languages():
        for message_id in stale_messages(read_catalog(po_path(language), language), extracted):
            click.echo(f"{language}: {message_id}")
            problems += 1
    click.echo(f"{problems} untranslated or outdated strings.")
    sys.exit(1 if problems else 0)
