"""Turns one page rendered by the app into a page of the offline edition.

Every internal address (href, src, action) becomes a path relative to the page, so the folder
works from a USB stick (file://) and from any sub-folder of any web server. What needs the online
platform is dropped, or points to it when its address is known: sign-in links, and every form
except the search box, which points to the edition's own search page instead.

Each language has its own tree of pages (see SiteMap.trees). A link leads to the tree of the
language it asks for: its ``?lang=``, the language the switcher's ``/language/xx`` sets, or its
``hreflang``; any other link stays in the page's own language, as it would online.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import SplitResult, parse_qsl, quote, unquote, urlsplit

from ..i18n import LANGUAGE_PARAMETER  # ?lang=es asks for the Spanish page
from .html_tree import Element, Raw, parse_fragment, parse_html

URL_ATTRIBUTES = ("href", "src", "action", "poster")
SEARCH_PAGE = "search.html"
SERVER_SEARCH_PATH = "/search"
SEARCH_FIELD = "q"
SWITCH_NEXT = "next"  # where the switcher's /language/xx?next=... goes back to
DEFAULT_HREFLANG = "x-default"
# Containers that mean nothing once the link or form inside them is gone.
EMPTY_WHEN_ALONE = frozenset({"li", "p"})


@dataclass(frozen=True)
class SiteMap:
    """Where each address of the app is in the export, in each language, if it is there at all."""
    pages: dict[str, str]  # '/chapters/2.6' -> 'chapters/2.6.html', inside a language's tree
    static_files: frozenset[str]  # 'static/css/app.css', ... shared by every language
    static_url_path: str  # '/static'
    online_url: str | None
    is_server_search: Callable[[str], bool]  # True for the path of the app's search page
    trees: dict[str, str] = field(default_factory=lambda: {"en": ""})  # 'es' -> 'es/'
    switched_language: Callable[[str], str | None] = lambda path: None  # '/language/es' -> 'es'

    @property
    def default_language(self) -> str:
        return next(iter(self.trees))

    def search_page(self, language: str) -> str | None:
        return self.trees[language] + SEARCH_PAGE if language in self.trees else None

    def is_search_path(self, path: str) -> bool:
        return path == SERVER_SEARCH_PATH or self.is_server_search(path)

    def local_file(self, path: str, language: str | None = None) -> str | None:
        """The export's file for an app path (without query) in a language's tree, or None
        when only online (or when that language is not exported)."""
        language = language or self.default_language
        if path.startswith(self.static_url_path + "/"):
            candidate = "static/" + path[len(self.static_url_path) + 1:]
            return candidate if candidate in self.static_files else None
        if language not in self.trees:
            return None
        if path in self.pages:
            return self.trees[language] + self.pages[path]
        return self.search_page(language) if self.is_search_path(path) else None


def relative_url(target_file: str, page_file: str) -> str:
    start = posixpath.dirname(page_file) or "."
    return quote(posixpath.relpath(target_file, start), safe="/.-_~")


def rewrite_url(url: str, page_file: str, site: SiteMap, language: str | None = None
                ) -> str | None:
    """The address to write in the page; None when it only works on the online platform."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return url  # external, fragment-only or already relative
    local = local_address(parts, page_file, site, language or site.default_language)
    if local is None:
        return site.online_url.rstrip("/") + url if site.online_url else None
    return local


def local_address(parts: SplitResult, page_file: str, site: SiteMap, language: str) -> str | None:
    """The relative address of an app address's file in the language it asks for, if exported."""
    path, query = unquote(parts.path), dict(parse_qsl(parts.query))
    switched = site.switched_language(path)
    if switched:  # the switcher: the same page, in the other language's tree
        back = query.get(SWITCH_NEXT, "/")
        if not back.startswith("/") or back.startswith("//"):
            return None  # the app itself only ever goes back to a page of its own
        return local_address(urlsplit(back), page_file, site, switched)
    language = query.get(LANGUAGE_PARAMETER, language)
    target = site.local_file(path, language)
    if target is None:
        return None
    # A page's query string means nothing offline, except the words given to the search page.
    search = f"?{parts.query}" if parts.query and target == site.search_page(language) else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return relative_url(target, page_file) + search + fragment


def link_language(element: Element, page_language: str, site: SiteMap) -> str:
    """The language a link's hreflang names (x-default: the first exported), else the page's."""
    hreflang = element.get("hreflang")
    if hreflang == DEFAULT_HREFLANG:
        return site.default_language
    return hreflang or page_language


def remove_with_empty_container(element: Element) -> None:
    """Remove an element, and the list item or paragraph it leaves empty."""
    parent = element.parent
    element.remove()
    while (parent is not None and parent.tag in EMPTY_WHEN_ALONE
           and not parent.text_content().strip()
           and not any(isinstance(child, Element) for child in parent.children)):
        grandparent = parent.parent
        parent.remove()
        parent = grandparent


def is_search_form(form: Element, site: SiteMap) -> bool:
    action = urlsplit(form.get("action") or "").path
    return action.startswith("/") and site.is_search_path(action)


def make_offline_search_form(form: Element, page_file: str, search_page: str) -> None:
    """Point a search box at its language's search page; its words go there as ?q=..."""
    form.set("action", relative_url(search_page, page_file))
    form.set("method", "get")
    renamed = False
    for field in list(form.iter()):
        kind = (field.get("type") or "text").lower()
        if field.tag == "input" and kind == "hidden":
            field.remove()  # CSRF tokens and server options mean nothing offline
        elif field.tag == "input" and kind in ("search", "text") and not renamed:
            field.set("name", SEARCH_FIELD)
            renamed = True


def rewrite_forms(document: Element, page_file: str, site: SiteMap, language: str) -> bool:
    """Keep search boxes (pointed at search.html), drop the other forms; True if one was kept."""
    kept = False
    for form in [element for element in document.iter() if element.tag == "form"]:
        if is_search_form(form, site) and site.search_page(language):
            make_offline_search_form(form, page_file, site.search_page(language))
            kept = True
        else:
            remove_with_empty_container(form)
    return kept


def rewrite_addresses(container: Element, page_file: str, site: SiteMap, language: str) -> None:
    """Every address inside container; what is removed is not looked into."""
    for child in list(container.children):
        if isinstance(child, Element) and rewrite_element(child, page_file, site, language):
            rewrite_addresses(child, page_file, site, language)


def rewrite_element(element: Element, page_file: str, site: SiteMap, language: str) -> bool:
    """Rewrite the element's addresses; False when it only works online, and so was removed."""
    for name in URL_ATTRIBUTES:
        value = element.get(name)
        if value is None or (element.tag == "form" and name == "action"):
            continue
        rewritten = rewrite_url(value, page_file, site, link_language(element, language, site))
        if rewritten is None:
            remove_with_empty_container(element)
            return False
        if rewritten != value:
            element.set(name, rewritten)
    return True


def insert_nodes(container: Element, index: int, html: str) -> None:
    for offset, node in enumerate(parse_fragment(html)):
        container.insert(index + offset, node)


def add_search_link(document: Element, html: str) -> None:
    """A 'Search' entry in the main navigation, for pages whose header has no search box."""
    nav = document.find("nav", "site-nav")
    menu = nav.find("ul") if nav else None
    if menu is not None:
        insert_nodes(menu, len(menu.children), html)


def rewrite_page(html: str, page_file: str, site: SiteMap, notice_html: str,
                 search_link_html: str, language: str | None = None) -> str:
    """The page, in language's tree, as it is written into the export (see the docstring)."""
    language = language or site.default_language
    document = parse_html(html)
    has_search_box = rewrite_forms(document, page_file, site, language)
    rewrite_addresses(document, page_file, site, language)
    main = document.find("main")
    if main is not None:
        insert_nodes(main, 0, notice_html)
        main.insert(0, Raw("\n"))
    if not has_search_box and page_file != site.search_page(language):
        add_search_link(document, search_link_html)
    return document.serialize()
