"""The search results page, open to everyone: a GET form that works without JavaScript.

It searches in the page's language. A page asked for in a language with ?lang= (without changing
the reader's choice) keeps it in its form, its result links and its pager, so that every step
from it stays in that language; otherwise the reader's own choice leads there already.
"""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_babel import format_number, lazy_gettext as _l

from ..curriculum.library import current_curriculum
from ..guards import public
from ..i18n import LANGUAGE_PARAMETER, page_language
from . import indexer, services
from .query import MAX_QUERY_CHARACTERS, MAX_WORDS

bp = Blueprint("search", __name__, template_folder="templates")

PART_LABELS = {
    indexer.CHAPTER: _l("Chapter summary"),
    indexer.GUIDING: _l("Guiding questions and objectives"),
    indexer.SECTION: _l("Section"),
    indexer.KEY_MESSAGES: _l("Key messages"),
    indexer.EXERCISE: _l("Exercise"),
    indexer.GLOSSARY: _l("Glossary term"),
}


@bp.route("/search")
@public
def results():
    # Never served from the anonymous page cache: that layer skips any request with a query.
    raw_query = request.args.get("q", "")
    page = request.args.get("page", 1, type=int)
    language = search_language()
    found = services.search(current_curriculum(), raw_query, page, language)
    return render_template("search/results.html", found=found, raw_query=raw_query,
                           language=language, lang_parameter=explicit_language(),
                           part_labels={kind: str(label) for kind, label in PART_LABELS.items()},
                           max_words=MAX_WORDS,
                           max_characters=format_number(MAX_QUERY_CHARACTERS),
                           query_length=format_number(len(found.query.text)))


def search_language() -> str:
    """The page's language where the curriculum is indexed in it, else English."""
    language = page_language()
    return language if language in services.INDEXED_LANGUAGES else services.INDEXED_LANGUAGES[0]


def explicit_language() -> str | None:
    """The ?lang= this page was asked for with, if any: links from it carry it on."""
    asked = request.args.get(LANGUAGE_PARAMETER)
    return asked if asked in current_app.config["EMM_LANGUAGES"] else None
