"""Builds the offline edition: every public reading page, rendered by the app, as static files.

The pages come from the real views through a test client without cookies, so they are exactly
what an anonymous reader gets online (no progress buttons, worksheets or facilitator notes). They
are then made to work offline (rewrite.py), the stylesheet and script are copied, and a search
page with its index is added. Everything is built in memory first and written afterwards, so a
failure leaves no half-written folder, and the same content always gives the same bytes.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Flask, render_template
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RoutingException

from ..curriculum.library import current_curriculum
from .rewrite import SEARCH_PAGE, SiteMap, rewrite_page
from .search_index import build_index_script, curriculum_entries, search_messages

ASSETS = Path(__file__).resolve().parent / "assets"
INDEX_FILE = "offline/search-index.js"
SCRIPT_FILE = "offline/search.js"
MANIFEST_FILE = "offline/files.json"  # lets --force remove exactly what an earlier export wrote
README_FILE = "README.txt"


class ExportError(Exception):
    """The export cannot be made; the message says why, for the command line."""


@dataclass(frozen=True)
class Edition:
    files: dict[str, bytes]  # path inside the export -> content, in sorted order

    @property
    def size(self) -> int:
        return sum(len(content) for content in self.files.values())


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


def public_page_paths(app: Flask) -> list[str]:
    """The address of every reading page: home, glossary, each volume's three pages, chapters."""
    from flask import url_for
    with app.test_request_context():
        curriculum = current_curriculum()
        paths = [url_for("curriculum.home"), url_for("curriculum.glossary")]
        for volume in curriculum.volumes:
            paths += [url_for(endpoint, number=volume.number) for endpoint in
                      ("curriculum.volume", "curriculum.print_volume",
                       "curriculum.volume_key_messages")]
        paths += [url_for("curriculum.chapter", number=number) for number in curriculum.chapters]
    return paths


def static_files(app: Flask) -> dict[str, bytes]:
    folder = Path(app.static_folder)
    return {f"static/{path.relative_to(folder).as_posix()}": path.read_bytes()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.name.startswith(".")}


def server_search_matcher(app: Flask):
    """True for a path the app's own search blueprint answers (added by the search feature)."""
    adapter = app.url_map.bind("localhost")

    def is_server_search(path: str) -> bool:
        try:
            endpoint, _ = adapter.match(path, method="GET")
        except (HTTPException, RoutingException):
            return False
        return endpoint.split(".")[0] == "search"
    return is_server_search


def render_pages(app: Flask, paths: list[str]) -> dict[str, str]:
    """Each page as an anonymous reader gets it: no cookie, so no session and no CSRF token."""
    client = app.test_client(use_cookies=False)
    pages = {}
    for path in paths:
        response = client.get(path)
        if response.status_code != 200:
            raise ExportError(f"the page {path} answered {response.status_code}")
        pages[path] = response.get_data(as_text=True)
    return pages


def build_edition(app: Flask, online_url: str | None = None) -> Edition:
    """Every file of the offline edition, in memory."""
    paths = public_page_paths(app)
    rendered = render_pages(app, paths)
    files = static_files(app)
    site = SiteMap({path: page_file(path) for path in paths}, frozenset(files),
                   app.static_url_path, online_url, server_search_matcher(app))
    # Templates of the edition's own are rendered as for the online search page's address.
    with app.test_request_context("/search"):
        pages = {page_file(path): html for path, html in rendered.items()}
        pages[SEARCH_PAGE] = render_template("export/search.html", messages=search_messages())
        files.update(offline_pages(pages, site))
        files[INDEX_FILE] = build_index_script(curriculum_entries(
            current_curriculum(), chapter_page_file, page_file("/glossary"))).encode()
        files[README_FILE] = render_template("export/readme.txt", online_url=online_url).encode()
    files[SCRIPT_FILE] = (ASSETS / "search.js").read_bytes()
    files[MANIFEST_FILE] = manifest(files)
    return Edition(dict(sorted(files.items())))


def offline_pages(pages: dict[str, str], site: SiteMap) -> dict[str, bytes]:
    """Each rendered page made to work offline, with the notice saying what needs the platform."""
    notice = render_template("export/_offline_notice.html", online_url=site.online_url)
    result = {}
    for name, html in pages.items():
        root = "../" * name.count("/")
        search_link = render_template("export/_search_link.html", root=root)
        result[name] = rewrite_page(html, name, site, notice, search_link).encode()
    return result


def chapter_page_file(number: str) -> str:
    from flask import url_for
    return page_file(url_for("curriculum.chapter", number=number))


def manifest(files: dict[str, bytes]) -> bytes:
    listing = {"made_by": "emm-learn export-static", "files": sorted(files) + [MANIFEST_FILE]}
    return (json.dumps(listing, indent=1) + "\n").encode()
