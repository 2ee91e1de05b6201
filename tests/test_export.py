"""`emm-learn export-static`: the offline edition, as a reader on a USB stick would find it, in
English (at the root), Spanish (es/) and French (fr/)."""
from __future__ import annotations

import json
import posixpath
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from babel.support import Translations
from click.testing import CliRunner

from emm_learn.catalogs import CATALOG_DIR
from emm_learn.cli import main
from emm_learn.curriculum.library import load_curriculum
from emm_learn.export.html_tree import parse_html
from emm_learn.export.search_index import words
from emm_learn.paths import default_content_dir
from tests.conftest import ROOT

ONLINE = "https://learn.example.org"
NOTICE = "Answering the exercises and keeping track of your progress need the online platform."
URL_ATTRIBUTES = ("href", "src", "action")
TREES = {"en": "", "es": "es/", "fr": "fr/"}  # each language's folder in the export
SHARED = {"README.txt", "offline/search.js", "offline/files.json"}  # besides static/
CONTENT = ROOT / "content"


def interface(language: str, message: str) -> str:
    """An interface string as the app's catalog for that language has it."""
    if language == "en":
        return message
    return Translations.load(str(CATALOG_DIR), [language]).gettext(message)


def export(target: Path, *options: str, instance: Path):
    result = CliRunner().invoke(main, ["export-static", str(target), *options],
                                env={"EMM_INSTANCE_PATH": str(instance)})
    return result


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    return tmp_path_factory.mktemp("export-instance")


@pytest.fixture(scope="module")
def site(tmp_path_factory, instance) -> Path:
    """One export (with its archive) shared by the read-only tests of this module."""
    target = tmp_path_factory.mktemp("usb") / "emm-offline"
    result = export(target, "--zip", instance=instance)
    assert result.exit_code == 0, result.output
    assert "Wrote the offline edition" in result.output
    return target


@pytest.fixture(scope="module")
def curriculum():
    return load_curriculum(default_content_dir())


class PageFacts(HTMLParser):
    """The addresses a page refers to, the ids it holds, its forms and its text (stdlib parser,
    independent of the export's own tree)."""

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.forms: list[dict] = []
        self.classes: list[str] = []
        self.language: str | None = None  # <html lang>
        self.alternates: dict[str, str] = {}  # hreflang -> href of <link rel=alternate>
        self.switcher: dict[str, str] = {}  # language -> href of the switcher's links
        self.open_switcher = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        classes = (attributes.get("class") or "").split()
        self.classes += classes
        if tag == "html":
            self.language = attributes.get("lang")
        if tag == "form":
            self.forms.append(attributes)
        if tag == "link" and attributes.get("rel") == "alternate":
            self.alternates[attributes["hreflang"]] = attributes["href"]
        if tag == "nav":
            self.open_switcher = "language-switcher" in classes
        if tag == "a" and self.open_switcher:
            self.switcher[attributes["lang"]] = attributes["href"]
        for name in URL_ATTRIBUTES:
            if attributes.get(name) is not None:
                self.urls.append((tag, attributes[name]))

    def handle_endtag(self, tag):
        if tag == "nav":
            self.open_switcher = False


def facts(path: Path) -> PageFacts:
    parser = PageFacts()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def files_in(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file()}


def resolve(page: Path, root: Path, url: str) -> tuple[Path, str]:
    """The file a relative address in page points to, and its fragment."""
    parts = urlsplit(url)
    relative = posixpath.normpath(posixpath.join(page.parent.relative_to(root).as_posix(),
                                                 unquote(parts.path)))
    assert not relative.startswith(".."), f"{url} in {page} leaves the export"
    return (page if not parts.path else root / relative), parts.fragment


def tree_pages(curriculum) -> set[str]:
    """The pages each language's tree holds, relative to its folder."""
    pages = {"index.html", "glossary.html", "search.html", "offline/search-index.js"}
    for number in (1, 2, 3):
        pages |= {f"volumes/{number}.html", f"volumes/{number}/print.html",
                  f"volumes/{number}/key-messages.html"}
    for number in curriculum.chapters:
        pages |= {f"chapters/{number}.html", f"chapters/{number}/side-by-side.html"}
    return pages


def test_every_reading_page_is_exported_in_every_language(site, curriculum):
    assert len(curriculum.chapters) == 32
    expected = {"static/css/app.css"} | SHARED
    expected |= {folder + page for folder in TREES.values() for page in tree_pages(curriculum)}
    assert expected <= set(files_in(site))
    assert "Migration and Labour" in (site / "chapters/2.6.html").read_text(encoding="utf-8")
    readme = (site / "README.txt").read_text(encoding="utf-8")
    assert "Open index.html" in readme
    assert "es/index.html" in readme and "fr/index.html" in readme


def check_links(root: Path) -> tuple[int, int, set[str]]:
    """Every internal address of every page resolves, with its anchor; returns how many
    addresses and anchors were checked, and the folders of the pages checked."""
    ids = {page: facts(page).ids for page in html_files(root)}
    checked = fragments = 0
    for page in html_files(root):
        for tag, url in facts(page).urls:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            assert not url.startswith("/"), f"absolute address {url} left in {page}"
            assert not parts.scheme and not parts.netloc, f"{url} in {page}"
            target, fragment = resolve(page, root, url)
            assert target.is_file(), f"{url} in {page.relative_to(root)} points to nothing"
            if fragment and target.suffix == ".html":
                assert fragment in ids[target], f"{url} in {page.relative_to(root)}: no such id"
                fragments += 1
            checked += 1
    return checked, fragments, {page.relative_to(root).parts[0] for page in ids}


def test_every_internal_link_and_asset_resolves_with_its_anchor_in_every_language(site):
    checked, fragments, folders = check_links(site)
    assert {"es", "fr", "chapters", "volumes"} <= folders
    # glossary links, tables of contents, pagers, switchers: three trees' worth
    assert checked > 3 * 5000 and fragments > 3 * 3000


@pytest.mark.parametrize("language", TREES)
def test_every_page_is_in_the_language_of_its_tree(site, language):
    folder = site / TREES[language]
    pages = [page for page in html_files(folder)
             if language != "en" or page.relative_to(site).parts[0] not in ("es", "fr")]
    assert len(pages) == 3 + 3 * 3 + 2 * 32  # home, glossary, search; volumes; chapters
    for page in pages:
        assert facts(page).language == language, page


def test_stylesheet_and_script_are_linked_without_version_query(site):
    chapter = facts(site / "chapters/2.6.html")
    assert ("link", "../static/css/app.css") in chapter.urls
    assert ("script", "../static/js/app.js") in chapter.urls
    assert ("a", "../glossary.html#migrant") in chapter.urls
    assert ("a", "3.12.html") in chapter.urls  # "3.12 Irregular Migration" in the text


@pytest.mark.parametrize("language", TREES)
def test_no_facilitator_notes_anywhere(site, curriculum, language):
    notes = curriculum.chapter("2.6", language).facilitator_notes
    first_prompt = re.search(r"<li>(.*?)</li>", notes.discussion_html)[1]
    plan_activity = notes.plan[0].activity_text
    heading = interface(language, "Facilitator notes")
    for name, content in files_in(site).items():
        text = content.decode("utf-8", errors="replace")
        assert first_prompt not in text, name
        assert plan_activity not in text, name
        if name.endswith(".html"):
            assert heading not in text and "facilitator-notes" not in text, name


def test_every_page_says_in_its_language_what_needs_the_online_platform(site):
    notices = {language: interface(language, NOTICE) for language in TREES}
    assert len(set(notices.values())) == 3  # the catalogs do translate it
    for page in html_files(site):
        language = facts(page).language
        document = parse_html(page.read_text(encoding="utf-8"))
        notice = document.find("div", "offline-notice")
        assert notice is not None, page
        assert notices[language] in " ".join(notice.text_content().split()), page
        assert notice.parent.tag == "main"


def test_nothing_that_needs_the_server_is_left(site):
    for page in html_files(site):
        text = page.read_text(encoding="utf-8")
        page_facts = facts(page)
        assert "csrf_token" not in text and "Sign in" not in text and "Sign out" not in text, page
        assert "account/sign-in" not in text and "/language/" not in text, page
        assert not {"worksheet", "section-progress"} & set(page_facts.classes), page
        for form in page_facts.forms:  # only search boxes, pointing at the export's search page
            assert form.get("method") == "get", page
            assert form["action"].endswith("search.html"), page
    chapter = facts(site / "chapters/2.6.html")
    assert ("a", "../search.html") in chapter.urls or any(
        form["action"] == "../search.html" for form in chapter.forms)


def h1_text(page: Path) -> str:
    return " ".join(parse_html(page.read_text(encoding="utf-8")).find("h1").text_content().split())


def test_the_spanish_chapter_is_in_spanish_and_links_its_english_and_french_files(site):
    page = site / "es/chapters/2.6.html"
    text = page.read_text(encoding="utf-8")
    page_facts = facts(page)
    assert page_facts.language == "es"
    assert h1_text(page) == "2.6 Migración y trabajo"
    assert '<div class="chapter-body" lang="es"' in text
    assert interface("es", "Skip to content") in text and "Skip to content" not in text
    assert page_facts.switcher == {"en": "../../chapters/2.6.html",
                                   "fr": "../../fr/chapters/2.6.html"}
    assert page_facts.alternates == {"en": "../../chapters/2.6.html", "es": "2.6.html",
                                     "fr": "../../fr/chapters/2.6.html",
                                     "x-default": "../../chapters/2.6.html"}
    english, french = (resolve(page, site, page_facts.switcher[code])[0] for code in ("en", "fr"))
    assert facts(english).language == "en" and h1_text(english) == "2.6 Migration and Labour"
    assert facts(french).language == "fr" and h1_text(french) == "2.6 Migration et travail"
    # Reading on stays in Spanish: the glossary, the next chapter, the search box.
    assert ("a", "../glossary.html#migrant") in page_facts.urls
    assert ("a", "2.7.html") in page_facts.urls
    assert any(form["action"] == "../search.html" for form in page_facts.forms)
    # ... and back: the French page's switcher leads to the Spanish file.
    assert facts(french).switcher["es"] == "../../es/chapters/2.6.html"


def test_each_chapter_is_side_by_side_with_english_in_each_language(site):
    for language, other in (("es", "es"), ("fr", "fr"), ("en", "es")):
        page = site / TREES[language] / "chapters/2.6/side-by-side.html"
        text = page.read_text(encoding="utf-8")
        assert facts(page).language == language
        assert text.count('class="sbs-cell sbs-left" lang="en"') > 20
        assert text.count(f'class="sbs-cell sbs-right" lang="{other}"') > 20
        assert "side-by-side-choice" not in text  # its form needs the server
    spanish = facts(site / "es/chapters/2.6/side-by-side.html")
    assert spanish.switcher == {"en": "../../../chapters/2.6/side-by-side.html",
                                "fr": "../../../fr/chapters/2.6/side-by-side.html"}
    assert ("a", "2.6/side-by-side.html") in facts(site / "fr/chapters/2.6.html").urls


@pytest.fixture(scope="module")
def small_content(tmp_path_factory) -> Path:
    """Volume 2 only; in Spanish 2.6 (current), 2.5 (made from an older English), no 2.7."""
    content = tmp_path_factory.mktemp("content")
    shutil.copytree(CONTENT / "volume2", content / "volume2")
    for number in (1, 3):
        (content / f"volume{number}").mkdir()
        shutil.copy(CONTENT / f"volume{number}" / "volume.md", content / f"volume{number}")
    shutil.copy(CONTENT / "volume1" / "glossary.yaml", content / "volume1")
    (content / "es" / "volume2").mkdir(parents=True)
    for name in ("volume.md", "2.6-migration-and-labour.md", "2.5-migration-and-family.md"):
        shutil.copy(CONTENT / "es" / "volume2" / name, content / "es" / "volume2")
    outdated = content / "es" / "volume2" / "2.5-migration-and-family.md"
    outdated.write_text(re.sub(r"translated_from: \w+", "translated_from: 0123456789ab",
                               outdated.read_text(encoding="utf-8")), encoding="utf-8")
    return content


def test_one_language_only_with_the_english_of_what_is_not_translated(tmp_path, small_content,
                                                                     instance):
    target = tmp_path / "spanish"
    result = export(target, "--language", "es", "--content", str(small_content),
                    instance=instance)
    assert result.exit_code == 0, result.output
    assert "es: 33 files" in result.output and "en:" not in result.output  # 10 chapters
    assert {name.split("/")[0] for name in files_in(target)} == {
        "es", "static", "offline", "README.txt"}
    assert set(files_in(target / "offline")) == {"search.js", "files.json"}
    checked, _, folders = check_links(target)
    assert folders == {"es"} and checked > 1000

    missing, outdated, translated = (target / f"es/chapters/{n}.html"
                                     for n in ("2.7", "2.5", "2.6"))
    notice = interface("es", "This chapter is not yet available in %(language)s; here is the "
                             "English original.") % {"language": interface("es", "Spanish")}
    assert h1_text(missing) == "2.7 Migration and Health"
    assert notice in missing.read_text(encoding="utf-8")
    assert '<div class="chapter-body" lang="en"' in missing.read_text(encoding="utf-8")
    assert h1_text(outdated) == "2.5 Migration and Family"
    assert "translation-notice" in outdated.read_text(encoding="utf-8")
    assert h1_text(translated) == "2.6 Migración y trabajo"
    # Nothing leads to the languages left out: no switcher links, no alternates but Spanish.
    assert facts(translated).switcher == {}
    assert facts(translated).alternates == {"es": "2.6.html", "x-default": "2.6.html"}
    # The Spanish reader's search finds the English chapter they are shown.
    index = search_index(target / "es")
    assert "chapters/2.7.html#guiding-questions" in urls_of(index, "health")


def test_an_unknown_language_is_refused(tmp_path, instance):
    result = export(tmp_path / "x", "--language", "de", instance=instance)
    assert result.exit_code != 0 and "'de' is not one of" in result.output
    assert not (tmp_path / "x").exists()


def test_online_address_is_named_and_sign_in_leads_there(tmp_path, instance):
    """Also: no database is needed, not even the one DATABASE_URL names (no server listens);
    and a language left out of the export is read online."""
    target = tmp_path / "edition"
    result = CliRunner().invoke(main, ["export-static", str(target), "--online-url", ONLINE + "/",
                                       "--language", "es"],
                                env={"EMM_INSTANCE_PATH": str(instance),
                                     "DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none"})
    assert result.exit_code == 0, result.output
    chapter = facts(target / "es/chapters/2.6.html")
    assert ("a", ONLINE) in chapter.urls
    assert ("a", f"{ONLINE}/account/sign-in?next=/chapters/2.6") in chapter.urls
    assert chapter.switcher == {"en": f"{ONLINE}/language/en?next=/chapters/2.6",
                                "fr": f"{ONLINE}/language/fr?next=/chapters/2.6"}
    assert ONLINE in (target / "README.txt").read_text(encoding="utf-8")
    assert ("a", "../glossary.html") in chapter.urls


def test_online_address_must_be_a_web_address(tmp_path, instance):
    result = export(tmp_path / "x", "--online-url", "javascript:alert(1)", instance=instance)
    assert result.exit_code != 0
    assert "--online-url must be an http:// or https:// address" in result.output
    assert not (tmp_path / "x").exists()


def test_zip_holds_the_same_files_in_one_folder(site):
    archive = site.with_name(site.name + ".zip")
    with zipfile.ZipFile(archive) as bundle:
        packed = {name.removeprefix(f"{site.name}/"): bundle.read(name)
                  for name in bundle.namelist()}
        assert all(name.startswith(f"{site.name}/") for name in bundle.namelist())
    assert packed == files_in(site)


def test_same_content_gives_the_same_bytes(site, tmp_path, instance):
    again = tmp_path / site.name  # the same name: the archive's folder is named after it
    result = export(again, "--zip", instance=instance)
    assert result.exit_code == 0, result.output
    assert files_in(again) == files_in(site)
    archives = [target.with_name(target.name + ".zip").read_bytes() for target in (site, again)]
    assert archives[0] == archives[1]


def test_refuses_a_folder_that_is_not_empty_unless_forced(tmp_path, instance):
    target = tmp_path / "stick"
    target.mkdir()
    (target / "my-notes.txt").write_text("mine")
    refused = export(target, instance=instance)
    assert refused.exit_code != 0
    assert "is not empty" in refused.output and "--force" in refused.output
    assert sorted(p.name for p in target.iterdir()) == ["my-notes.txt"]

    forced = export(target, "--force", "--language", "en", instance=instance)
    assert forced.exit_code == 0, forced.output
    assert (target / "index.html").is_file()
    assert (target / "my-notes.txt").read_text() == "mine"  # never deletes what it did not write


def test_force_replaces_an_earlier_export(site, tmp_path, instance):
    target = tmp_path / "edition"
    shutil.copytree(site, target)
    listing = json.loads((target / "offline/files.json").read_text())
    stale = "chapters/9.9.html"  # as if a chapter had been removed since the earlier export
    (target / stale).write_text("old")
    listing["files"].append(stale)
    (target / "offline/files.json").write_text(json.dumps(listing))
    (target / "keep.txt").write_text("mine")
    result = export(target, "--force", "--language", "fr", instance=instance)
    assert result.exit_code == 0, result.output
    assert not (target / stale).exists()
    assert not (target / "es").exists() and not (target / "index.html").exists()
    assert (target / "keep.txt").exists() and (target / "fr/chapters/2.6.html").is_file()


def search_index(tree: Path) -> dict:
    script = (tree / "offline/search-index.js").read_text(encoding="utf-8")
    prefix = "window.EMM_SEARCH_INDEX="
    assert script.startswith(prefix)
    return json.loads(script[len(prefix):].rstrip().rstrip(";"))


def postings(index: dict, term: str) -> dict[int, int]:
    """Decodes one term's base-36 gaps, as search.js does."""
    found, entry = {}, 0
    for code in index["terms"][term].split(","):
        value = int(code, 36)
        entry += value >> 2
        found[entry] = value & 3
    return found


def urls_of(index: dict, term: str) -> list[str]:
    return [index["entries"][number][0] for number in postings(index, term)]


# Each language's words for the recruitment section of 2.6 and for the glossary's "refugee".
SEARCH_WORDS = {"en": ("recruitment", "refugee"), "es": ("contratacion", "refugiado"),
                "fr": ("recrutement", "refugie")}


@pytest.mark.parametrize("language", TREES)
def test_each_language_has_a_small_search_index_of_its_own_pages(site, curriculum, language):
    tree = site / TREES[language]
    assert (tree / "offline/search-index.js").stat().st_size < 600_000
    index = search_index(tree)
    ids = {page: facts(page).ids for page in html_files(tree)}
    for url, title, snippet in index["entries"]:
        target, fragment = resolve(tree / "search.html", site, url)
        assert fragment in ids[target], url
        assert title and snippet
    section_word, glossary_word = SEARCH_WORDS[language]
    assert "chapters/2.6.html#recruitment-costs" in urls_of(index, section_word)
    assert any(url.startswith("glossary.html#") for url in urls_of(index, glossary_word))
    # Titled in the tree's language, its own interface words included.
    chapter = curriculum.chapter("2.6", language)
    titles = {url: title for url, title, _ in index["entries"]}
    assert titles["chapters/2.6.html#recruitment-costs"] == \
        f"2.6 {chapter.title}: {chapter.section('recruitment-costs').title}"
    assert titles["chapters/2.6.html#guiding-questions"] == \
        f"2.6 {chapter.title}: {interface(language, 'Guiding questions')}"
    assert "de" in index["stop"] if language != "en" else "the" in index["stop"]
    assert not set(index["stop"]) & set(index["terms"])


@pytest.mark.parametrize("language", TREES)
def test_search_index_holds_no_word_said_only_in_facilitator_notes(site, curriculum, language):
    index = search_index(site / TREES[language])
    stop = frozenset(index["stop"])
    public, notes = set(), set()
    for number in curriculum.chapters:
        chapter = curriculum.chapter(number, language)
        texts = [chapter.title] + [item.text for item in chapter.guiding_questions
                                   + chapter.objectives + chapter.key_messages]
        texts += [f"{s.title} {s.text}" for s in chapter.sections]
        texts += [" ".join([e.title, e.scenario_text] + [p.text for p in e.prompts])
                  for e in chapter.exercises]
        public |= {word for text in texts for word in words(text, stop)}
        plan = chapter.facilitator_notes.plan if chapter.facilitator_notes else ()
        notes |= {word for block in plan for word in words(block.activity_text, stop)}
    public |= {word for term in curriculum.glossary_in(language)
               for word in words(f"{term.term} {term.definition}", stop)}
    only_in_notes = notes - public
    assert only_in_notes
    assert not only_in_notes & set(index["terms"])


def test_search_page_works_without_a_server(site):
    page = site / "search.html"
    text = page.read_text(encoding="utf-8")
    assert ("script", "offline/search-index.js") in facts(page).urls
    assert ("script", "offline/search.js") in facts(page).urls
    assert "<noscript>" in text and "needs JavaScript" in text
    assert "fetch(" not in (site / "offline/search.js").read_text(encoding="utf-8")


def test_the_spanish_search_page_loads_the_spanish_index_and_speaks_spanish(site):
    page = site / "es/search.html"
    page_facts = facts(page)
    assert ("script", "offline/search-index.js") in page_facts.urls  # es/offline/...
    assert ("script", "../offline/search.js") in page_facts.urls  # shared by every language
    assert not (site / "es/offline/search.js").exists()
    document = parse_html(page.read_text(encoding="utf-8"))
    assert document.find("h1").text_content() == interface("es", "Search the curriculum")
    messages = json.loads(next(el for el in document.iter()
                               if el.get("id") == "offline-search-status").get("data-messages"))
    assert messages["none"] == interface("es", "Nothing found. Try fewer words, or other words.")
    assert messages["none"] != "Nothing found. Try fewer words, or other words."
    assert page_facts.switcher == {"en": "../search.html", "fr": "../fr/search.html"}


def test_untouched_html_is_written_back_byte_for_byte(client):
    html = client.get("/chapters/2.6").get_data(as_text=True)
    assert parse_html(html).serialize() == html


def test_rewriting_one_page_by_hand():
    from emm_learn.export.rewrite import SiteMap, rewrite_page
    site = SiteMap({"/": "index.html", "/chapters/2.6": "chapters/2.6.html",
                    "/glossary": "glossary.html"}, frozenset({"static/css/app.css"}), "/static",
                   None, lambda path: path == "/find")
    page = (
        '<!doctype html><html><head>\n'
        '<link rel="stylesheet" href="/static/css/app.css?v=abc"></head><body>\n'
        '<nav class="site-nav"><ul><li><a href="/">Home</a></li>'
        '<li><a href="/account/sign-in?next=/x">Sign in</a></li></ul></nav>\n'
        '<form role="search" action="/find"><input type="hidden" name="csrf_token" value="t">'
        '<input type="search" name="words"></form>\n'
        '<main><p>Read <a href="/chapters/2.6#recruitment-costs" title="a &quot;b&quot;">2.6</a>'
        ' &amp; the <a href="/glossary#migrant">term</a>.</p>\n'
        '<p class="invitation"><a href="/account/sign-in">Sign in to answer</a></p>\n'
        '<form method="post" action="/progress/x"><button>Mark as done</button></form>\n'
        '<a href="https://example.org/">out</a> <a href="#top">top</a> '
        '<a href="/static/missing.png">gone</a></main></body></html>')
    result = rewrite_page(page, "chapters/3.1.html", site, "<p class=notice>offline</p>",
                          '<li><a href="../search.html">Search</a></li>')
    assert 'href="../static/css/app.css"' in result
    assert ('<a href="2.6.html#recruitment-costs" title="a &quot;b&quot;">2.6</a> &amp; the'
            in result)
    assert '<a href="../glossary.html#migrant">term</a>' in result
    assert "Sign in" not in result and "invitation" not in result and "Mark as done" not in result
    assert '<li><a href="../index.html">Home</a></li></ul>' in result  # emptied item removed
    assert ('<form role="search" action="../search.html" method="get">'
            '<input type="search" name="q">') in result
    assert 'href="../search.html">Search' not in result  # the page has its search box already
    assert '<main>\n<p class=notice>offline</p><p>Read' in result
    assert '<a href="https://example.org/">out</a> <a href="#top">top</a> </main>' in result
    assert "missing.png" not in result  # an asset the app does not have is not linked


def test_online_only_links_lead_to_the_platform_when_its_address_is_known():
    from emm_learn.export.rewrite import SiteMap, rewrite_page
    site = SiteMap({"/": "index.html"}, frozenset(), "/static", "https://learn.example.org",
                   lambda path: False)
    page = ('<nav class="site-nav"><ul><li><a href="/account/sign-in?next=/">Sign in</a></li>'
            '</ul></nav><main></main>')
    result = rewrite_page(page, "index.html", site, "", "<li>S</li>")
    assert '<a href="https://learn.example.org/account/sign-in?next=/">Sign in</a>' in result
    assert "<li>S</li></ul>" in result  # no search box on this page: the menu gets the link


def test_links_lead_to_the_tree_of_the_language_they_ask_for():
    from emm_learn.export.rewrite import SiteMap, rewrite_page
    site = SiteMap({"/": "index.html", "/chapters/2.6": "chapters/2.6.html",
                    "/glossary": "glossary.html"}, frozenset({"static/css/app.css"}), "/static",
                   None, lambda path: False, {"en": "", "es": "es/"},
                   lambda path: path.split("/")[2] if path.startswith("/language/") else None)
    page = (
        '<html lang="es"><head><link rel="stylesheet" href="/static/css/app.css?v=1">\n'
        '<link rel="alternate" hreflang="en" href="/chapters/2.6?lang=en">\n'
        '<link rel="alternate" hreflang="fr" href="/chapters/2.6?lang=fr">\n'
        '<link rel="alternate" hreflang="x-default" href="/chapters/2.6"></head><body>\n'
        '<ul><li><a href="/language/en?next=/chapters/2.6" hreflang="en">English</a></li>'
        '<li><a href="/language/fr?next=/chapters/2.6" hreflang="fr">Français</a></li></ul>\n'
        '<main><a href="/glossary?lang=es#migrant">migrante</a> <a href="/">inicio</a>'
        '<a href="/language/en?next=//elsewhere.example/">x</a></main></body></html>')
    result = rewrite_page(page, "es/chapters/2.6.html", site, "", "", "es")
    assert 'href="../../static/css/app.css"' in result  # shared by every language
    assert '<link rel="alternate" hreflang="en" href="../../chapters/2.6.html">' in result
    assert 'hreflang="fr"' not in result and "Français" not in result  # French not exported
    assert '<link rel="alternate" hreflang="x-default" href="../../chapters/2.6.html">' in result
    assert '<ul><li><a href="../../chapters/2.6.html" hreflang="en">English</a></li></ul>' in result
    assert ('<a href="../glossary.html#migrant">migrante</a> <a href="../index.html">inicio</a>'
            '</main>') in result  # the page's own language; never to another site
