"""A small HTML tree built with the standard library's HTML parser, for rewriting exported pages.

Each element keeps the exact text of its start tag until one of its attributes is changed, and
text, entities and comments are kept as they were, so a page that needs no change is written back
byte for byte. Elements can be found, removed and inserted; that is all the export needs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from typing import Iterator

VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                           "meta", "source", "track", "wbr"})


@dataclass(eq=False)
class Raw:
    """Text, an entity, a comment or the doctype, exactly as written."""
    text: str
    parent: "Element | None" = None


@dataclass(eq=False)
class Element:
    tag: str
    attrs: list[tuple[str, str | None]]
    start_text: str | None = None  # the original start tag; None once an attribute changed
    has_end_tag: bool = False
    children: list["Element | Raw"] = field(default_factory=list)
    parent: "Element | None" = None

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.attrs if key == name), None)

    def set(self, name: str, value: str | None) -> None:
        """Change or add an attribute, keeping the order the template wrote them in."""
        names = [key for key, _ in self.attrs]
        if name in names:
            self.attrs[names.index(name)] = (name, value)
        else:
            self.attrs.append((name, value))
        self.start_text = None

    def remove_attr(self, name: str) -> None:
        if any(key == name for key, _ in self.attrs):
            self.attrs = [(key, val) for key, val in self.attrs if key != name]
            self.start_text = None

    def classes(self) -> set[str]:
        return set((self.get("class") or "").split())

    def iter(self) -> Iterator["Element"]:
        """This element and every element inside it, in document order."""
        # A stack rather than nested generators: pages are deep, and each level of `yield from`
        # made every element cost as much again as its depth.
        stack: list[Element] = [self]
        while stack:
            element = stack.pop()
            yield element
            stack.extend(child for child in reversed(element.children)
                         if isinstance(child, Element))

    def find(self, tag: str, css_class: str | None = None) -> "Element | None":
        return next((el for el in self.iter() if el.tag == tag
                     and (css_class is None or css_class in el.classes())), None)

    def text_content(self) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, Element):
                parts.append(child.text_content())
            elif not child.text.startswith("<"):
                parts.append(child.text)
        return "".join(parts)

    def append(self, node: "Element | Raw") -> None:
        node.parent = self
        self.children.append(node)

    def insert(self, index: int, node: "Element | Raw") -> None:
        node.parent = self
        self.children.insert(index, node)

    def remove(self) -> None:
        if self.parent is not None:
            self.parent.children.remove(self)
            self.parent = None

    def serialize(self) -> str:
        return "".join(serialize_node(node) for node in self.children)


def serialize_node(node: Element | Raw) -> str:
    if isinstance(node, Raw):
        return node.text
    start = node.start_text if node.start_text is not None else start_tag(node)
    end = f"</{node.tag}>" if node.has_end_tag else ""
    return start + node.serialize() + end


def start_tag(element: Element) -> str:
    parts = [element.tag]
    for name, value in element.attrs:
        parts.append(name if value is None else f'{name}="{escape(value, quote=True)}"')
    return "<" + " ".join(parts) + ">"


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.root = Element("#document", [])
        self.open: list[Element] = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, list(attrs), self.get_starttag_text())
        self.open[-1].append(element)
        if tag not in VOID_ELEMENTS:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].append(Element(tag, list(attrs), self.get_starttag_text()))

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                self.open[depth].has_end_tag = True
                del self.open[depth:]  # elements left open inside it end here, as browsers do
                return
        self.add_raw(f"</{tag}>")  # a stray end tag: kept as it was

    def add_raw(self, text: str) -> None:
        self.open[-1].append(Raw(text))

    def handle_data(self, data):
        self.add_raw(data)

    def handle_entityref(self, name):
        self.add_raw(f"&{name};")

    def handle_charref(self, name):
        self.add_raw(f"&#{name};")

    def handle_comment(self, data):
        self.add_raw(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.add_raw(f"<!{decl}>")

    def unknown_decl(self, data):
        self.add_raw(f"<![{data}]]>")

    def handle_pi(self, data):
        self.add_raw(f"<?{data}>")


def parse_html(html: str) -> Element:
    """The document's tree; its root is a '#document' element holding the top-level nodes."""
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def parse_fragment(html: str) -> list[Element | Raw]:
    """The top-level nodes of a piece of HTML, detached, ready to insert elsewhere."""
    nodes = list(parse_html(html).children)
    for node in nodes:
        node.parent = None
    return nodes
