"""EMM Learn: the application factory. It only wires things together; rules live in the domains."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from . import config


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: settings, extensions, curriculum, blueprints."""
    instance_path = config.default_instance_path()
    app = Flask(__name__, instance_path=str(instance_path), instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(config.base_settings(Path(app.instance_path)))
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(config.environment_settings())
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.load_or_create_secret_key(Path(app.instance_path))

    from . import database, i18n, security, errors, templating
    database.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    from .curriculum import library, views as curriculum_views
    from .accounts import views as accounts_views
    from .progress import views as progress_views
    from .admin import views as admin_views
    from .worksheets import views as worksheets_views
    from .workshops import views as workshops_views
    from . import search
    from .search import views as search_views
    library.init_app(app)
    search.init_app(app)  # after the curriculum: indexes it when it changed
    for blueprint in (curriculum_views.bp, accounts_views.bp, progress_views.bp,
                      worksheets_views.bp, workshops_views.bp, admin_views.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(search_views.bp)
    from .feedback import views as feedback_views
    from .reports import views as reports_views
    app.register_blueprint(feedback_views.bp)
    app.register_blueprint(reports_views.bp)
    from .learning_paths import views as paths_views
    app.register_blueprint(paths_views.bp)
    accounts_views.init_app(app)
    return app
