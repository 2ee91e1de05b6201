"""The sanitiser every feature uses for what users write."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from emm_learn.markup import sanitize_html, sanitize_markdown
from tests.hostile_inputs import HOSTILE_INPUTS

FORBIDDEN_TAGS = re.compile(r"<\s*(script|svg|math|iframe|object|embed|style|img|form|noscript|"
                            r"textarea|title|base|meta|details|input|button)\b", re.I)


def test_the_corpus_is_large_enough():
    assert len(HOSTILE_INPUTS) >= 30


class Elements(HTMLParser):
    """The tags and attributes a browser would see in the output."""

    def __init__(self, markup: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "ol": {"start"}, "th": {"align"},
                      "td": {"align"}, "code": {"class"}}


@pytest.mark.parametrize("payload", HOSTILE_INPUTS)
def test_hostile_input_comes_out_harmless(payload):
    output = str(sanitize_markdown(payload))
    assert not FORBIDDEN_TAGS.search(output), output
    for tag, attributes in Elements(output).found:
        assert set(attributes) <= ALLOWED_ATTRIBUTES.get(tag, set()), (tag, attributes)
        if "href" in attributes:
            assert attributes["href"].strip().lower().startswith(("http://", "https://", "mailto:"))


@pytest.mark.parametrize("payload", HOSTILE_INPUTS)
def test_sanitising_is_idempotent(payload):
    once = str(sanitize_markdown(payload))
    assert sanitize_html(once) == once


def test_ordinary_markdown_survives():
    output = str(sanitize_markdown(
        "### Plan\n\n**Bold**, *italic* and ~~no~~.\n\n1. one\n2. two\n\n> quoted\n\n"
        "[IOM](https://www.iom.int \"site\") and mail@example.org\n\n| a | b |\n|---|---|\n| 1 | 2 |"))
    for fragment in ("<h3>Plan</h3>", "<strong>Bold</strong>", "<em>italic</em>", "<ol>",
                     "<blockquote>", "<table>", "<td>1</td>"):
        assert fragment in output
    assert '<a href="https://www.iom.int" title="site" rel="nofollow noopener noreferrer">IOM</a>' in output


def test_bare_urls_become_safe_links():
    output = str(sanitize_markdown("See https://www.ilo.org for more."))
    assert 'href="https://www.ilo.org" rel="nofollow noopener noreferrer"' in output


def test_raw_html_is_shown_as_text_not_passed_through():
    assert "&lt;b&gt;" in str(sanitize_markdown("<b>not bold</b>")) or \
        "&lt;b>" in str(sanitize_markdown("<b>not bold</b>"))
