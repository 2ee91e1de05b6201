"""The curriculum files: the real content passes the checker, and the checker catches mistakes."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from emm_learn.cli import main
from emm_learn.curriculum.checks import LIMITS
from emm_learn.curriculum.library import load_curriculum
from emm_learn.curriculum.manifest import CHAPTER_TITLES, VOLUMES
from emm_learn.paths import default_content_dir

CONTENT = default_content_dir()
EXAMPLE = (CONTENT / "README.md").read_text(encoding="utf-8") \
    .split("## A complete small example")[1].split("```\n", 1)[1].rsplit("```", 1)[0]


def test_manifest_has_three_volumes_and_32_chapters():
    assert [len(v.chapters) for v in VOLUMES] == [10, 10, 12]
    assert len(CHAPTER_TITLES) == 32
    assert CHAPTER_TITLES["2.6"] == "Migration and Labour"
    assert CHAPTER_TITLES["3.12"] == "Irregular Migration"


def test_check_content_passes_on_the_real_curriculum():
    result = CliRunner().invoke(main, ["check-content"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def curriculum():
    return load_curriculum(CONTENT)


def test_the_whole_curriculum_is_present(curriculum):
    """All 32 chapters of the manifest exist, and every related-chapter link resolves."""
    assert list(curriculum.chapters) == list(CHAPTER_TITLES)
    for chapter in curriculum.chapters.values():
        assert all(number in curriculum.chapters for number in chapter.related), chapter.number


def test_every_present_chapter_meets_the_guide(curriculum):
    """No later edit can shrink a chapter below the content guide's minimums."""
    assert curriculum.chapters, "no chapter found"
    for chapter in curriculum.chapters.values():
        low, high = LIMITS["narrative_words"]
        assert low <= chapter.narrative_words <= high, chapter.number
        assert 4 <= len(chapter.sections) <= 8, chapter.number
        assert 4 <= len(chapter.guiding_questions) <= 6, chapter.number
        assert 3 <= len(chapter.objectives) <= 5, chapter.number
        assert 5 <= len(chapter.key_messages) <= 8, chapter.number
        assert 2 <= len(chapter.exercises) <= 4, chapter.number
        assert all(2 <= len(e.prompts) <= 5 for e in chapter.exercises), chapter.number
        assert any(e.is_own_country for e in chapter.exercises), chapter.number
        assert any(e.suits_breakout_group for e in chapter.exercises), chapter.number
        assert chapter.facilitator_notes.total_minutes == 120, chapter.number
        assert {"opening", "exercise", "discussion", "report-back", "close"} <= \
            {b.kind for b in chapter.facilitator_notes.plan}, chapter.number
        assert 3 <= len(chapter.further_reading) <= 6, chapter.number
        assert 2 <= len(chapter.related) <= 5, chapter.number
        assert all(n in CHAPTER_TITLES for n in chapter.related), chapter.number
        assert len(chapter.summary.split()) <= 40, chapter.number


def test_glossary_when_present_has_enough_terms_with_definitions(curriculum):
    if not (CONTENT / "volume1" / "glossary.yaml").exists():
        pytest.skip("the glossary has not been written yet")
    assert len(curriculum.glossary) >= 60
    terms = [t.term.lower() for t in curriculum.glossary]
    assert terms == sorted(terms)
    for required in ("migrant", "irregular migration", "refugee", "asylum seeker",
                     "trafficking in persons", "smuggling of migrants", "remittances"):
        assert required in terms


# -- the checker against broken files ----------------------------------------------------------
def write_content(tmp_path: Path, name: str, text: str, volume: int = 2) -> Path:
    folder = tmp_path / f"volume{volume}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_for(tmp_path: Path) -> list[str]:
    result = CliRunner().invoke(main, ["check-content", "--content", str(tmp_path)])
    assert result.exit_code != 0
    return [line for line in result.output.splitlines() if "volume.md" not in line]


def test_the_format_example_parses_into_every_part(tmp_path):
    write_content(tmp_path, "2.6-migration-and-labour.md", EXAMPLE)
    chapter = load_curriculum(tmp_path).chapter("2.6")
    assert [s.anchor for s in chapter.sections] == ["why-it-matters", "admission-models",
                                                    "protection", "recruitment"]
    assert [e.anchor for e in chapter.exercises] == ["own-country-map", "fair-recruitment"]
    assert chapter.exercises[1].group_size == (5, 12)
    assert [p.text for p in chapter.exercises[0].prompts][0].startswith("Which agencies")
    assert chapter.facilitator_notes.total_minutes == 120
    assert len(chapter.further_reading) == 3 and chapter.related == ("2.3", "2.4", "3.6")


def test_short_example_is_reported_with_file_and_line(tmp_path):
    path = write_content(tmp_path, "2.6-migration-and-labour.md", EXAMPLE)
    lines = problems_for(tmp_path)
    narrative_line = EXAMPLE.splitlines().index("# Narrative") + 1
    assert f"{path}:{narrative_line}: narrative words: " in "\n".join(lines)
    assert any("key messages: 2 found" in line for line in lines)


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace("# Key messages", "# Key points"), "unknown part '# Key points'"),
    (lambda t: t.replace("{#protection}", "{#why-it-matters}"), "id 'why-it-matters' is used twice"),
    (lambda t: t.replace("{#recruitment}", ""), "needs a stable id"),
    (lambda t: t.replace("related: 2.3, 2.4, 3.6", "related: 2.3, 9.4"), "related chapter 9.4 is not in"),
    (lambda t: t.replace("number: 2.6", "number: 2.11"), "chapter 2.11 is not in the curriculum manifest"),
    (lambda t: t.replace("title: Migration and Labour", "title: Labour"), "title must be"),
    (lambda t: t.replace("study_minutes: 90", "study_minutes: soon"), "study_minutes must be"),
    (lambda t: t.replace("Format: group", "Format: plenary"), "must be individual, group or either"),
    (lambda t: t.replace("| 10 | Close |", "| 15 | Close |"), "adds up to 125 minutes"),
    (lambda t: t.replace("Own country: yes", "Own country: no"), "own country"),
    (lambda t: t.replace("---\nnumber", "number", 1), "must start with a metadata block"),
    (lambda t: t.replace("summary: How", "summary: " + "many words " * 25), "at most 40"),
])
def test_checker_names_each_kind_of_mistake(tmp_path, change, message):
    write_content(tmp_path, "2.6-migration-and-labour.md", change(EXAMPLE))
    output = "\n".join(problems_for(tmp_path))
    assert message in output
    assert ":" in output.split(message)[0]  # path:line: prefix


def test_a_chapter_in_the_wrong_volume_folder_is_reported(tmp_path):
    write_content(tmp_path, "2.6-migration-and-labour.md", EXAMPLE, volume=3)
    assert any("belongs in content/volume2/" in line for line in problems_for(tmp_path))


def test_the_same_chapter_twice_is_reported(tmp_path):
    write_content(tmp_path, "2.6-a.md", EXAMPLE)
    write_content(tmp_path, "2.6-b.md", EXAMPLE)
    assert any("chapter 2.6 is also in" in line for line in problems_for(tmp_path))


def test_glossary_entries_need_term_and_definition(tmp_path):
    (tmp_path / "volume1").mkdir()
    (tmp_path / "volume1" / "glossary.yaml").write_text(textwrap.dedent("""\
        - term: migrant
          definition: A person who moves away from their place of usual residence.
        - term: refugee
        """), encoding="utf-8")
    output = "\n".join(problems_for(tmp_path))
    assert "glossary entry 2 needs 'term' and 'definition'" in output
    assert "the glossary has 1 terms" in output


def test_development_server_reparses_a_changed_chapter(tmp_path):
    import shutil
    import time

    from emm_learn import create_app
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content, ignore=shutil.ignore_patterns("volume1", "volume3"))
    # A database of its own: this app's partial curriculum must not reach the shared test
    # database (its search index is rebuilt from whatever curriculum an app starts with).
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'dev.db'}",
                      "SECRET_KEY": "k", "EMM_CONTENT_PATH": str(content), "EMM_RELOAD_CONTENT": True})
    client = app.test_client()
    assert "Migration and Labour" in client.get("/chapters/2.6").get_data(as_text=True)
    chapter_file = next((content / "volume2").glob("2.6-*.md"))
    text = chapter_file.read_text(encoding="utf-8")
    chapter_file.write_text(text.replace("summary: ", "summary: Freshly edited. ", 1), encoding="utf-8")
    time.sleep(1.1)  # the check runs at most once a second
    assert "Freshly edited." in client.get("/chapters/2.6").get_data(as_text=True)
    with app.app_context():
        from emm_learn.extensions import db
        db.engine.dispose()
