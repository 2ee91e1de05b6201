"""Builds the offline edition: every public reading page, rendered by the app, as static files.

The pages come from the real views through a test client without cookies, so they are exactly
what an anonymous reader gets online (no progress buttons, worksheets or facilitator notes). They
are then made to work offline (rewrite.py), the stylesheet and script are copied, and a search
page with its index is added. Everything is built in memory first and written afterwards, so a
failure leaves no half-written folder, and the same content always gives the same bytes.

Each language gets a tree of its own, rendered with ``?lang=xx``: English at the root (so the
addresses of the English edition stay what they were), the others in ``es/`` and ``fr/``. The
stylesheet, the scripts and the search code are shared; each tree has its own search index.
"""
from __future__ import annotations

import functools
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, render_template
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RoutingException

from ..curriculum.library import current_curriculum
from ..i18n import AUTONYMS, LANGUAGE_PARAMETER
from .rewrite import SEARCH_PAGE, SiteMap, rewrite_page
from .search_index import build_index_script, curriculum_entries, search_messages

ASSETS = Path(__file__).resolve().parent / "assets"
INDEX_FILE = "offline/search-index.js"  # in each language's tree
SCRIPT_FILE = "offline/search.js"
MANIFEST_FILE = "offline/files.json"  # lets --force remove exactly what an earlier export wrote
README_FILE = "README.txt"
ROOT_LANGUAGE = "en"  # its tree is the export's root; every other language has a folder
SHARED = "shared"  # Edition.owners: a file every language uses


class ExportError(Exception):
    """The export cannot be made; the message says why, for the command line."""


@dataclass(frozen=True)
class Edition:
    files: dict[str, bytes]  # path inside the export -> content, in sorted order
    owners: dict[str, str]  # path -> the language whose tree holds it, or SHARED
    trees: dict[str, str]  # language -> its folder ('' or 'es/'), in the order exported

    @property
    def size(self) -> int:
        return sum(len(content) for content in self.files.values())

    def files_of(self, owner: str) -> dict[str, bytes]:
        return {name: content for name, content in self.files.items()
                if self.owners[name] == owner}


def export_app(content_dir: Path | None = None) -> Flask:
    """The app, set up to render pages only: an empty in-memory database it never needs."""
    from .. import create_app
    settings = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": secrets.token_hex(32),
                "EMM_RELOAD_CONTENT": False}
    if content_dir is not None:
        settings["EMM_CONTENT_PATH"] = str(Path(content_dir).resolve())
    app = create_app(settings)
    app.register_blueprint(Blueprint("export", __name__, template_folder="templates"))
    return app


def page_file(path: str) -> str:
    """'/chapters/2.6' -> 'chapters/2.6.html'; '/' -> 'index.html'."""
    return (path.strip("/") or "index") + ".html"


def tree_folder(language: str) -> str:
    return "" if language == ROOT_LANGUAGE else f"{language}/"


def exported_languages(app: Flask, asked: tuple[str, ...] | None) -> tuple[str, ...]:
    """The languages asked for, in the app's order (the root language first); default all."""
    known = app.config["EMM_LANGUAGES"]
    unknown = sorted(set(asked or ()) - set(known))
    if unknown:
        raise ExportError(f"unknown language {', '.join(unknown)}; choose among "
                          f"{', '.join(known)}")
    return tuple(code for code in known if not asked or code in asked)


def public_page_paths(app: Flask) -> list[str]:
    """The address of every reading page: home, glossary, each volume's three pages, chapters
    and each chapter side by side (English beside the page's language)."""
    from flask import url_for
    with app.test_request_context():
        curriculum = current_curriculum()
        paths = [url_for("curriculum.home"), url_for("curriculum.glossary")]
        for volume in curriculum.volumes:
            paths += [url_for(endpoint, number=volume.number) for endpoint in
                      ("curriculum.volume", "curriculum.print_volume",
                       "curriculum.volume_key_messages")]
        for number in curriculum.chapters:
            paths += [url_for("curriculum.chapter", number=number),
                      url_for("curriculum.side_by_side", number=number)]
    return paths


def static_files(app: Flask) -> dict[str, bytes]:
    folder = Path(app.static_folder)
    return {f"static/{path.relative_to(folder).as_posix()}": path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.name.startswith(".")}


def endpoint_matcher(app: Flask):
    """The endpoint and arguments of an app path (GET), or None."""
    adapter = app.url_map.bind("localhost")

    @functools.lru_cache(maxsize=4096)  # a page repeats its links; routing each is slow
    def match(path: str) -> tuple[str, dict] | None:
        try:
            return adapter.match(path, method="GET")
        except (HTTPException, RoutingException):
            return None
    return match


def server_search_matcher(app: Flask):
    """True for a path the app's own search blueprint answers (added by the search feature)."""
    match = endpoint_matcher(app)

    def is_server_search(path: str) -> bool:
        found = match(path)
        return found is not None and found[0].split(".")[0] == "search"
    return is_server_search


def switcher_matcher(app: Flask):
    """The language the switcher's path sets ('/language/es' -> 'es'), None for other paths."""
    match = endpoint_matcher(app)

    def switched_language(path: str) -> str | None:
        found = match(path)
        return found[1]["language"] if found and found[0] == "curriculum.choose_language" else None
    return switched_language


def render_pages(app: Flask, paths: list[str], language: str) -> dict[str, str]:
    """Each page as an anonymous reader gets it in that language: no cookie, so no session and
    no CSRF token."""
    client = app.test_client(use_cookies=False)
    pages = {}
    for path in paths:
        response = client.get(path, query_string={LANGUAGE_PARAMETER: language})
        if response.status_code != 200:
            raise ExportError(f"the page {path} answered {response.status_code}")
        pages[path] = response.get_data(as_text=True)
    return pages


def build_edition(app: Flask, online_url: str | None = None,
                  languages: tuple[str, ...] | None = None) -> Edition:
    """Every file of the offline edition, in memory: one tree per language (default all)."""
    paths = public_page_paths(app)
    files = static_files(app)
    trees = {language: tree_folder(language) for language in exported_languages(app, languages)}
    site = SiteMap({path: page_file(path) for path in paths}, frozenset(files),
                   app.static_url_path, online_url, server_search_matcher(app), trees,
                   switcher_matcher(app))
    owners = dict.fromkeys(files, SHARED)
    readmes = []
    for language in trees:
        tree, readme = language_tree(app, paths, site, language)
        files.update(tree)
        owners.update(dict.fromkeys(tree, language))
        readmes.append(readme)
    files[README_FILE] = ("\n\n".join(readmes) + "\n").encode()
    files[SCRIPT_FILE] = (ASSETS / "search.js").read_bytes()
    files[MANIFEST_FILE] = manifest(files)
    owners.update(dict.fromkeys((README_FILE, SCRIPT_FILE, MANIFEST_FILE), SHARED))
    return Edition(dict(sorted(files.items())), owners, trees)


def language_tree(app: Flask, paths: list[str], site: SiteMap, language: str
                  ) -> tuple[dict[str, bytes], str]:
    """One language's pages, search page and search index; and its part of README.txt."""
    rendered = render_pages(app, paths, language)
    folder = site.trees[language]
    # Templates of the edition's own are rendered as for the online search page's address.
    with app.test_request_context("/search", query_string={LANGUAGE_PARAMETER: language}):
        pages = {folder + page_file(path): html for path, html in rendered.items()}
        pages[folder + SEARCH_PAGE] = render_template(
            "export/search.html", messages=search_messages(), shared=up_to_root(folder))
        files = offline_pages(pages, site, language)
        files[folder + INDEX_FILE] = build_index_script(curriculum_entries(
            current_curriculum(), language, chapter_page_file, page_file("/glossary")),
            language).encode()
        readme = readme_text(language, folder + page_file("/"), site.online_url)
    return files, readme


def readme_text(language: str, home: str, online_url: str | None) -> str:
    """The language's part of README.txt, in that language (written here, not in a template,
    so that its strings are extracted for translation with the Python ones)."""
    if online_url:
        platform = _("Answering the exercises and keeping track of your progress need the online "
                     "platform:") + f" {online_url}"
    else:
        platform = _("Answering the exercises and keeping track of your progress need the online "
                     "platform.")
    title = _("EMM Learn: Essentials of Migration Management, offline edition")
    return "\n\n".join([
        f"{title} ({AUTONYMS.get(language, language)})",
        _("Open %(file)s in a web browser. Every page works without a connection and without "
          "installing anything, from this folder, a USB stick or any web server.", file=home),
        _("You can read and print every chapter, volume and the glossary, and search the "
          "curriculum.") + "\n" + platform])


def up_to_root(name: str) -> str:
    """'../' for each folder a file (or folder, ending in '/') is in: 'es/x.html' -> '../'."""
    return "../" * name.count("/")


def offline_pages(pages: dict[str, str], site: SiteMap, language: str) -> dict[str, bytes]:
    """Each rendered page made to work offline, with the notice saying what needs the platform."""
    notice = render_template("export/_offline_notice.html", online_url=site.online_url)
    folder = site.trees[language]
    result = {}
    for name, html in pages.items():
        search_link = render_template("export/_search_link.html",
                                      root=up_to_root(name.removeprefix(folder)))
        result[name] = rewrite_page(html, name, site, notice, search_link, language).encode()
    return result


def chapter_page_file(number: str) -> str:
    from flask import url_for
    return page_file(url_for("curriculum.chapter", number=number))


def manifest(files: dict[str, bytes]) -> bytes:
    listing = {"made_by": "emm-learn export-static", "files": sorted(files) + [MANIFEST_FILE]}
    return (json.dumps(listing, indent=1) + "\n").encode()
