"""`emm-learn export-static`: the offline edition, as a reader on a USB stick would find it."""
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
from click.testing import CliRunner

from emm_learn.cli import main
from emm_learn.curriculum.library import load_curriculum
from emm_learn.export.html_tree import parse_html
from emm_learn.export.search_index import words
from emm_learn.paths import default_content_dir

ONLINE = "https://learn.example.org"
NOTICE = "Answering the exercises and keeping track of your progress need the online platform"
URL_ATTRIBUTES = ("href", "src", "action")


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

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        self.classes += (attributes.get("class") or "").split()
        if tag == "form":
            self.forms.append(attributes)
        for name in URL_ATTRIBUTES:
            if attributes.get(name) is not None:
                self.urls.append((tag, attributes[name]))


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


def test_every_reading_page_is_exported(site, curriculum):
    expected = {"index.html", "glossary.html", "search.html", "static/css/app.css"}
    for number in (1, 2, 3):
        expected |= {f"volumes/{number}.html", f"volumes/{number}/print.html",
                     f"volumes/{number}/key-messages.html"}
    expected |= {f"chapters/{number}.html" for number in curriculum.chapters}
    assert len(curriculum.chapters) == 32
    assert expected <= set(files_in(site))
    assert "Migration and Labour" in (site / "chapters/2.6.html").read_text(encoding="utf-8")
    assert "Open index.html" in (site / "README.txt").read_text(encoding="utf-8")


def test_every_internal_link_and_asset_resolves_with_its_anchor(site):
    ids = {page: facts(page).ids for page in html_files(site)}
    checked = fragments = 0
    for page in html_files(site):
        for tag, url in facts(page).urls:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            assert not url.startswith("/"), f"absolute address {url} left in {page}"
            assert not parts.scheme and not parts.netloc, f"{url} in {page}"
            target, fragment = resolve(page, site, url)
            assert target.is_file(), f"{url} in {page.relative_to(site)} points to nothing"
            if fragment and target.suffix == ".html":
                assert fragment in ids[target], f"{url} in {page.relative_to(site)}: no such id"
                fragments += 1
            checked += 1
    assert checked > 3000 and fragments > 2000  # glossary links, tables of contents, pagers


def test_stylesheet_and_script_are_linked_without_version_query(site):
    chapter = facts(site / "chapters/2.6.html")
    assert ("link", "../static/css/app.css") in chapter.urls
    assert ("script", "../static/js/app.js") in chapter.urls
    assert ("a", "../glossary.html#migrant") in chapter.urls
    assert ("a", "3.12.html") in chapter.urls  # "3.12 Irregular Migration" in the text


def test_no_facilitator_notes_anywhere(site, curriculum):
    notes = curriculum.chapter("2.6").facilitator_notes
    first_prompt = re.search(r"<li>(.*?)</li>", notes.discussion_html)[1]
    plan_activity = notes.plan[0].activity_text
    for name, content in files_in(site).items():
        text = content.decode("utf-8", errors="replace")
        assert first_prompt not in text, name
        assert plan_activity not in text, name
        if name.endswith(".html"):
            assert "Facilitator notes" not in text and "facilitator-notes" not in text, name


def test_every_page_says_what_needs_the_online_platform(site):
    for page in html_files(site):
        document = parse_html(page.read_text(encoding="utf-8"))
        notice = document.find("div", "offline-notice")
        assert notice is not None and NOTICE in " ".join(notice.text_content().split()), page
        assert notice.parent.tag == "main"


def test_nothing_that_needs_the_server_is_left(site):
    for page in html_files(site):
        text = page.read_text(encoding="utf-8")
        page_facts = facts(page)
        assert "csrf_token" not in text and "Sign in" not in text and "Sign out" not in text, page
        assert not {"worksheet", "section-progress"} & set(page_facts.classes), page
        for form in page_facts.forms:  # only search boxes, pointing at the export's search page
            assert form.get("method") == "get", page
            assert form["action"].endswith("search.html"), page
    chapter = facts(site / "chapters/2.6.html")
    assert ("a", "../search.html") in chapter.urls or any(
        form["action"] == "../search.html" for form in chapter.forms)


def test_online_address_is_named_and_sign_in_leads_there(tmp_path, instance):
    """Also: no database is needed, not even the one DATABASE_URL names (no server listens)."""
    target = tmp_path / "edition"
    result = CliRunner().invoke(main, ["export-static", str(target), "--online-url", ONLINE + "/"],
                                env={"EMM_INSTANCE_PATH": str(instance),
                                     "DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none"})
    assert result.exit_code == 0, result.output
    chapter = facts(target / "chapters/2.6.html")
    assert ("a", ONLINE) in chapter.urls
    assert ("a", f"{ONLINE}/account/sign-in?next=/chapters/2.6") in chapter.urls
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


def test_same_content_gives_the_same_bytes(tmp_path, instance):
    first, second = tmp_path / "a" / "edition", tmp_path / "b" / "edition"
    for target in (first, second):
        result = export(target, "--zip", instance=instance)
        assert result.exit_code == 0, result.output
    assert files_in(first) == files_in(second)
    archives = [target.with_name("edition.zip").read_bytes() for target in (first, second)]
    assert archives[0] == archives[1]


def test_refuses_a_folder_that_is_not_empty_unless_forced(tmp_path, instance):
    target = tmp_path / "stick"
    target.mkdir()
    (target / "my-notes.txt").write_text("mine")
    refused = export(target, instance=instance)
    assert refused.exit_code != 0
    assert "is not empty" in refused.output and "--force" in refused.output
    assert sorted(p.name for p in target.iterdir()) == ["my-notes.txt"]

    forced = export(target, "--force", instance=instance)
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
    result = export(target, "--force", instance=instance)
    assert result.exit_code == 0, result.output
    assert not (target / stale).exists()
    assert (target / "keep.txt").exists() and (target / "chapters/2.6.html").is_file()


def search_index(site: Path) -> dict:
    script = (site / "offline/search-index.js").read_text(encoding="utf-8")
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


def test_search_index_is_small_and_points_at_existing_anchors(site):
    index_file = site / "offline/search-index.js"
    assert index_file.stat().st_size < 600_000
    index = search_index(site)
    ids = {page: facts(page).ids for page in html_files(site)}
    for url, title, snippet in index["entries"]:
        target, fragment = resolve(site / "search.html", site, url)
        assert fragment in ids[target], url
        assert title and snippet
    urls = [index["entries"][number][0] for number in postings(index, "recruitment")]
    assert "chapters/2.6.html#recruitment-costs" in urls
    assert any(url.startswith("glossary.html#") for url in
               (index["entries"][n][0] for n in postings(index, "refugee")))



def test_search_index_holds_no_word_said_only_in_facilitator_notes(site, curriculum):
    public, notes = set(), set()
    for chapter in curriculum.chapters.values():
        texts = [chapter.title] + [item.text for item in chapter.guiding_questions
                                   + chapter.objectives + chapter.key_messages]
        texts += [f"{s.title} {s.text}" for s in chapter.sections]
        texts += [" ".join([e.title, e.scenario_text] + [p.text for p in e.prompts])
                  for e in chapter.exercises]
        public |= {word for text in texts for word in words(text)}
        plan = chapter.facilitator_notes.plan if chapter.facilitator_notes else ()
        notes |= {word for block in plan for word in words(block.activity_text)}
    public |= {word for term in curriculum.glossary
               for word in words(f"{term.term} {term.definition}")}
    only_in_notes = notes - public
    assert only_in_notes
    assert not only_in_notes & set(search_index(site)["terms"])


def test_search_page_works_without_a_server(site):
    page = site / "search.html"
    text = page.read_text(encoding="utf-8")
    assert ("script", "offline/search-index.js") in facts(page).urls
    assert ("script", "offline/search.js") in facts(page).urls
    assert "<noscript>" in text and "needs JavaScript" in text
    assert "fetch(" not in (site / "offline/search.js").read_text(encoding="utf-8")


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
