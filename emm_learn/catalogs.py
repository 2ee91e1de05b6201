"""The interface's message catalogs: extracting the strings, updating and compiling the catalogs.

The catalogs (``translations/<language>/LC_MESSAGES/messages.po``) are the source; the compiled
``.mo`` files are build products: `hatch_build.py` compiles them when the package is installed,
and the app recompiles a catalog at start when its ``.po`` is newer than its ``.mo`` (a pull
without a reinstall), so nobody runs stale binaries. Nothing here needs the app.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE_DIR = Path(__file__).resolve().parent
CATALOG_DIR = PACKAGE_DIR / "translations"
DOMAIN = "messages"
# Our gettext names beyond Babel's defaults (_, gettext, ngettext...): the lazy forms.
KEYWORDS = {"_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
# Python everywhere in the package except the migrations (schema history, never shown); Jinja
# templates beside their domains.
METHOD_MAP = [("migrations/**", "ignore"), ("**.py", "python"),
              ("**/templates/**.html", "jinja2")]

log = logging.getLogger(__name__)


def po_path(language: str, directory: Path = CATALOG_DIR) -> Path:
    return directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_languages(directory: Path = CATALOG_DIR) -> list[str]:
    return sorted(path.parent.parent.name for path in directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def extract_catalog(package_dir: Path = PACKAGE_DIR) -> Catalog:
    """Every string the interface marks for translation, with where it is used."""
    from babel.messages.extract import DEFAULT_KEYWORDS
    catalog = Catalog(project="EMM Learn", charset="utf-8")
    keywords = {**DEFAULT_KEYWORDS, **KEYWORDS}
    for filename, lineno, message, comments, context in extract_from_dir(
            package_dir, METHOD_MAP, keywords=keywords, strip_comment_tags=True):
        catalog.add(message, None, [(f"emm_learn/{filename}", lineno)], auto_comments=comments,
                    context=context)
    return catalog


def read_catalog(path: Path, language: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def update_catalogs(directory: Path = CATALOG_DIR) -> dict[str, int]:
    """Merge the extracted strings into each language's catalog; return how many are untranslated.

    New strings arrive empty, changed ones fuzzy (Babel's matching); neither is ever shown."""
    template = extract_catalog()
    untranslated = {}
    for language in catalog_languages(directory):
        path = po_path(language, directory)
        catalog = read_catalog(path, language)
        catalog.update(template, no_fuzzy_matching=False)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, ignore_obsolete=True, omit_header=False)
        untranslated[language] = len(missing_translations(catalog))
    return untranslated


def stale_messages(catalog: Catalog, extracted: Catalog) -> list[str]:
    """Untranslated strings, plus strings the source marks (`extract_catalog()`) that the catalog
    does not have yet."""
    absent = [message.id if isinstance(message.id, str) else message.id[0]
              for message in extracted if message.id and message.id not in catalog]
    return absent + missing_translations(catalog)


def missing_translations(catalog: Catalog) -> list[str]:
    """The msgids a reader would see in English: empty, partly empty (plurals) or fuzzy."""
    missing = []
    for message in catalog:
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


@dataclass(frozen=True)
class CompiledCatalog:
    language: str
    messages: int
    compiled: bool


def compile_catalogs(directory: Path = CATALOG_DIR, only_stale: bool = False) -> list[CompiledCatalog]:
    results = []
    for language in catalog_languages(directory):
        po = po_path(language, directory)
        mo = po.with_suffix(".mo")
        if only_stale and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            results.append(CompiledCatalog(language, 0, False))
            continue
        catalog = read_catalog(po, language)
        with mo.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        results.append(CompiledCatalog(language, len(catalog) - len(missing_translations(catalog)),
                                       True))
    return results


def compile_stale_catalogs() -> None:
    """At start: a catalog edited or pulled since the install is compiled now, not served stale.
    An installed, read-only package keeps what its install compiled."""
    try:
        compile_catalogs(only_stale=True)
    except OSError as error:
        log.warning("Could not compile the interface catalogs (%s); run: emm-learn catalogs compile",
                    error)
