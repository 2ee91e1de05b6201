"""Build hook: compile the interface catalogs (.po -> .mo) whenever the package is built or
installed, editable installs included, so the app never runs on stale or missing binaries.
The .mo files are not committed (.gitignore); `artifacts` in pyproject.toml puts them in wheels."""
from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogsHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(Path(self.root, "emm_learn", "translations").glob("*/LC_MESSAGES/*.po")):
            language = po.parent.parent.name
            with po.open("rb") as source:
                catalog = read_po(source, locale=language)
            with po.with_suffix(".mo").open("wb") as target:
                write_mo(target, catalog, use_fuzzy=False)
