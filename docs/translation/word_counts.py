"""Words per language: chapters, volume introductions, glossary, learning paths, interface.

Run from the project root: .venv/bin/python docs/translation/word_counts.py"""
import re, sys, yaml
from pathlib import Path
sys.path.insert(0, ".")
from emm_learn.catalogs import po_path, read_catalog
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
def words(text): return len(WORD.findall(text))
def body(path):
    t = path.read_text(encoding="utf-8")
    return t.split("\n---", 1)[-1] if t.startswith("---") else t
root = Path("content")
glossary = yaml.safe_load((root / "volume1/glossary.yaml").read_text(encoding="utf-8"))
rows = {}
for lang, base in (("en", root), ("es", root / "es"), ("fr", root / "fr")):
    chapters = [p for p in base.glob("volume*/*.md") if p.name != "volume.md"]
    gl = sum(words(t["term"] + " " + t["definition"]) if lang == "en" else
             words(t[lang]["term"] + " " + t[lang]["definition"]) for t in glossary if lang == "en" or lang in t)
    if lang == "en":
        ui = sum(words(m.id if isinstance(m.id, str) else m.id[-1]) for m in read_catalog(po_path("es"), "es") if m.id)
    else:
        ui = sum(words(m.string if isinstance(m.string, str) else m.string[-1]) for m in read_catalog(po_path(lang), lang) if m.id)
    rows[lang] = (len(chapters), sum(words(body(p)) for p in chapters),
                  sum(words(body(p)) for p in base.glob("volume*/volume.md")), gl,
                  sum(words(body(p)) for p in base.glob("paths/*.md")), ui)
print("| language | chapters | chapter words | volume intros | glossary | learning paths | interface | total |")
print("|---|---|---|---|---|---|---|---|")
for lang, r in rows.items():
    print(f"| {lang} | {r[0]} | {r[1]:,} | {r[2]:,} | {r[3]:,} | {r[4]:,} | {r[5]:,} | {sum(r[1:]):,} |")
