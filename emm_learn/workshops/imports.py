"""Adding participants from a spreadsheet: read the CSV, check every row, show the preview, and only
then create accounts and memberships. Nothing is saved while a preview is shown."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts import services as accounts
from ..accounts.models import User
from ..extensions import db
from ..validation import Invalid
from .models import Member, Workshop
from .services import LANGUAGE_CODES

MAX_ROWS = 1000
COLUMNS = {  # accepted header spellings -> field
    "name": "name", "full name": "name", "nombre": "name", "nom": "name",
    "email": "email", "e-mail": "email", "e-mail address": "email", "email address": "email",
    "correo": "email", "courriel": "email",
    "organisation": "organisation", "organization": "organisation", "organización": "organisation",
    "organisme": "organisation",
    "country": "country", "país": "country", "pays": "country",
    "languages": "languages", "language": "languages", "idiomas": "languages", "langues": "languages",
}
LANGUAGE_WORDS = {
    "en": "en", "english": "en", "inglés": "en", "ingles": "en", "anglais": "en",
    "es": "es", "spanish": "es", "español": "es", "espanol": "es", "espagnol": "es",
    "fr": "fr", "french": "fr", "francés": "fr", "frances": "fr", "français": "fr", "francais": "fr",
}


@dataclass
class ImportRow:
    line: int
    name: str
    email: str
    organisation: str
    country: str
    languages: str  # codes, comma-separated
    errors: list[str] = field(default_factory=list)
    status: str = ""  # "new account", "existing account" or "already a participant"


def decode(data: bytes) -> str:
    """Spreadsheets save UTF-8 (often with a BOM) or, on older Windows, Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_rows(text: str) -> list[ImportRow]:
    """Every data row with its problems; raises Invalid when the file itself cannot be used."""
    text = text.strip("\ufeff\r\n ")
    if not text:
        raise Invalid({"csv": _("The file is empty.")})
    try:  # Excel in Spanish or French saves with semicolons
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [COLUMNS.get(cell.strip().lower()) for cell in next(reader)]
    missing = [name for name in ("name", "email", "languages") if name not in header]
    if missing:
        raise Invalid({"csv": _("The first line must name the columns: name, email, organisation, "
                                "country, languages. Missing: %(missing)s.",
                                missing=", ".join(missing))})
    rows = [row_from(header, cells, reader.line_num) for cells in reader if any(c.strip() for c in cells)]
    if len(rows) > MAX_ROWS:
        raise Invalid({"csv": _("Import at most %(n)d participants at a time.", n=MAX_ROWS)})
    if not rows:
        raise Invalid({"csv": _("The file has a header line but no participants.")})
    mark_repeated_emails(rows)
    return rows


def row_from(header: list[str | None], cells: list[str], line: int) -> ImportRow:
    values = {name: cell.strip() for name, cell in zip(header, cells) if name}
    row = ImportRow(line, values.get("name", ""), accounts.normalise_email(values.get("email", "")),
                    values.get("organisation", ""), values.get("country", ""), "")
    if not row.name or len(row.name) > 100:
        row.errors.append(_("a name of 1 to 100 characters is needed"))
    if not accounts.EMAIL_PATTERN.match(row.email) or len(row.email) > 254:
        row.errors.append(_("“%(email)s” is not an e-mail address", email=values.get("email", "")))
    if len(row.organisation) > 200 or len(row.country) > 100:
        row.errors.append(_("organisation or country is too long"))
    row.languages = parse_languages(values.get("languages", ""), row.errors)
    return row


def parse_languages(cell: str, errors: list[str]) -> str:
    words = [w for w in cell.replace(";", " ").replace(",", " ").replace("/", " ").lower().split() if w]
    unknown = [w for w in words if w not in LANGUAGE_WORDS]
    if unknown:
        errors.append(_("unknown language “%(word)s” (use en, es or fr)", word=unknown[0]))
    codes = {LANGUAGE_WORDS[w] for w in words if w in LANGUAGE_WORDS}
    if not codes and not unknown:
        errors.append(_("at least one language is needed (en, es or fr)"))
    return ",".join(code for code in LANGUAGE_CODES if code in codes)


def mark_repeated_emails(rows: list[ImportRow]) -> None:
    first_line: dict[str, int] = {}
    for row in rows:
        if row.email in first_line:
            row.errors.append(_("the same e-mail address is on line %(line)d", line=first_line[row.email]))
        else:
            first_line[row.email] = row.line


def preview(workshop: Workshop, text: str) -> list[ImportRow]:
    """The rows as they would be imported, with what would happen to each. Saves nothing."""
    rows = read_rows(text)
    emails = [r.email for r in rows if not r.errors]
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))} \
        if emails else {}
    members = {m.user_id for m in workshop.members}
    for row in rows:
        user = users.get(row.email)
        if row.errors:
            continue
        row.status = ("already a participant" if user and user.id in members
                      else "existing account" if user else "new account")
    return rows


def import_rows(workshop: Workshop, text: str) -> list[ImportRow]:
    """Import every row without problems; returns the rows that were imported."""
    imported = []
    for row in preview(workshop, text):
        if row.errors:
            continue
        user = db.session.scalar(select(User).where(User.email == row.email)) or \
            accounts.create_invited_user(row.email, row.name)
        member = db.session.scalar(select(Member).where(Member.workshop_id == workshop.id,
                                                        Member.user_id == user.id))
        if member is None:
            member = Member(workshop_id=workshop.id, user_id=user.id)
            db.session.add(member)
        member.languages = row.languages
        member.organisation, member.country = row.organisation or None, row.country or None
        imported.append(row)
    db.session.flush()
    return imported
