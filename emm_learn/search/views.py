"""The search results page, open to everyone: a GET form that works without JavaScript."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import format_number, get_locale, lazy_gettext as _l

from ..guards import public
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
    found = services.search(raw_query, page, search_language())
    return render_template("search/results.html", found=found, raw_query=raw_query,
                           part_labels={kind: str(label) for kind, label in PART_LABELS.items()},
                           max_words=MAX_WORDS,
                           max_characters=format_number(MAX_QUERY_CHARACTERS),
                           query_length=format_number(len(found.query.text)))


def search_language() -> str:
    """The reader's language where the curriculum is indexed in it, else English."""
    locale = str(get_locale())
    return locale if locale in services.INDEXED_LANGUAGES else services.INDEXED_LANGUAGES[0]
