"""Glossary terms linked in the chapters, once per section, never in headings, links or code."""
from __future__ import annotations

import re

from emm_learn.curriculum.glossary_links import TermLinker
from emm_learn.curriculum.library import current_curriculum
from emm_learn.curriculum.model import GlossaryTerm

TERMS = (
    GlossaryTerm("migrant", "migrant", "A person who moves. More detail follows.", None),
    GlossaryTerm("irregular-migration", "irregular migration", "Movement outside the rules.", None),
    GlossaryTerm("regular-migration", "regular migration", "Movement within the rules.", None),
    GlossaryTerm("visa", "visa", "Permission to travel & enter.", None),
)
LINKER = TermLinker(TERMS)


def linked(fragment: str) -> list[str]:
    return re.findall(r'href="/glossary#([a-z-]+)"', LINKER.link_section(fragment, "gl-x"))


def test_first_appearance_in_a_section_is_linked_once():
    assert linked("<p>A migrant met another migrant.</p><p>Migrants again.</p>") == ["migrant"]


def test_longest_term_wins_and_words_are_not_split():
    assert linked("<p>Irregular migration differs from regular migration.</p>") == [
        "irregular-migration", "regular-migration"]
    assert linked("<p>The emigrants and visas.</p>") == ["visa"]  # "visas": plural; no "emigrant" term


def test_headings_links_and_code_are_left_alone():
    fragment = ('<h3>Every migrant</h3><p><a href="/x">a migrant</a> <code>migrant</code></p>'
                '<pre>visa</pre><p title="visa">text</p>')
    assert linked(fragment) == []


def test_the_short_definition_is_the_links_description():
    html = LINKER.link_section("<p>A visa.</p>", "gl-1-1-intro")
    assert 'aria-describedby="gl-1-1-intro-visa"' in html
    assert '<span class="term-def" id="gl-1-1-intro-visa" role="tooltip">Permission to travel &amp; enter.</span>' in html
    assert "More detail follows" not in LINKER.link_section("<p>migrant</p>", "gl")


def test_chapters_carry_glossary_links_from_start_up(app, client):
    with app.app_context():
        curriculum = current_curriculum()
        linked_sections = [s for c in curriculum.chapters.values() for s in c.sections
                           if 'class="term"' in s.html]
        assert len(linked_sections) > 50
    html = client.get("/chapters/3.12").get_data(as_text=True)
    assert 'href="/glossary#irregular-migration"' in html
    ids = re.findall(r'id="(gl-[^"]+)"', html)
    assert len(ids) == len(set(ids))  # every description id is unique on the page
    for anchor in set(re.findall(r'href="/glossary#([a-z0-9-]+)"', html)):
        assert f'<dt id="{anchor}"' in client.get("/glossary").get_data(as_text=True)
