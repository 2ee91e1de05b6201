"""Full-text search over the curriculum: SQLite FTS5 or PostgreSQL, behind one interface."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Bring the index up to date with the curriculum just loaded (after curriculum.library)."""
    from . import services
    from .models import is_search_table
    keep_autogenerate_off_the_index(app, is_search_table)
    services.build_at_start(app)
    if app.debug or app.config.get("EMM_RELOAD_CONTENT"):
        # The curriculum is parsed again when a content file changes; index the new one.
        app.before_request(lambda: reindex_if_reloaded(app))


def reindex_if_reloaded(app: Flask) -> None:
    from . import services
    if app.extensions["emm_curriculum"] is not app.extensions.get("emm_search_indexed"):
        services.build_at_start(app)


def keep_autogenerate_off_the_index(app: Flask, is_search_table) -> None:
    """`emm-learn db migrate` compares the models with the database; the index's tables are not
    models (see models.py), so the comparison must not propose dropping them."""
    arguments = app.extensions["migrate"].configure_args
    previous = arguments.get("include_name")

    def include_name(name, type_, parent_names) -> bool:
        if type_ == "table" and is_search_table(name):
            return False
        return previous(name, type_, parent_names) if previous else True
    arguments["include_name"] = include_name
