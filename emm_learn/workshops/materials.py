"""Files attached to a workshop or a session: what may be uploaded, where it is kept, and how it is
handed back. Only the workshop's own people may download them (see the views)."""
from __future__ import annotations

import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ..accounts.models import User
from ..extensions import db
from ..validation import Invalid, require_length
from .models import Material, Workshop

MAX_MATERIAL_BYTES = 20 * 1024 * 1024
UPLOAD_REQUEST_BYTES = MAX_MATERIAL_BYTES + 64 * 1024  # the file plus the form around it

ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)


@dataclass(frozen=True)
class FileKind:
    content_type: str
    signatures: tuple[bytes, ...]  # the file must start with one of these; () = UTF-8 text


# Slides, documents and images trainers hand out. Nothing a browser would run (HTML, SVG, scripts).
FILE_KINDS = {
    "pdf": FileKind("application/pdf", (b"%PDF-",)),
    "pptx": FileKind("application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP),
    "docx": FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    "xlsx": FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "odp": FileKind("application/vnd.oasis.opendocument.presentation", ZIP),
    "odt": FileKind("application/vnd.oasis.opendocument.text", ZIP),
    "ods": FileKind("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    "ppt": FileKind("application/vnd.ms-powerpoint", OLE),
    "doc": FileKind("application/msword", OLE),
    "xls": FileKind("application/vnd.ms-excel", OLE),
    "png": FileKind("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": FileKind("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": FileKind("image/jpeg", (b"\xff\xd8\xff",)),
    "txt": FileKind("text/plain; charset=utf-8", ()),
}


def materials_folder() -> Path:
    folder = Path(current_app.instance_path) / "materials"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def clean_filename(name: str) -> str:
    """A name safe to offer back in a download header: no paths, no control characters."""
    name = unicodedata.normalize("NFC", os.path.basename(name.replace("\\", "/")))
    name = re.sub(r"[\x00-\x1f\x7f\"]", "", name).strip(" .")
    return name[-150:] or "file"


def kind_of(filename: str, head: bytes) -> FileKind | None:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind = FILE_KINDS.get(extension)
    if kind is None:
        return None
    if kind.signatures:
        return kind if head.startswith(kind.signatures) else None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:  # a cut multi-byte character at the end is fine
        if error.start < len(head) - 3:
            return None
    return kind


def add_material(workshop: Workshop, uploader: User, form: dict, upload: FileStorage | None
                 ) -> Material:
    errors: dict[str, str] = {}
    session_id = form.get("session_id") or None
    session = next((s for s in workshop.sessions if str(s.id) == session_id), None)
    if session_id and session is None:
        errors["material_session"] = _("Choose one of this workshop's sessions, or none.")
    if upload is None or not upload.filename:
        errors["material_file"] = _("Choose a file to upload.")
        raise Invalid(errors)
    filename = clean_filename(upload.filename)
    title = form.get("title", "").strip() or filename
    require_length(errors, "material_title", title, 200, _("Keep the title under 200 characters."))
    head = upload.stream.read(512)
    upload.stream.seek(0)
    kind = kind_of(filename, head)
    if not head:
        errors["material_file"] = _("The file is empty.")
    elif kind is None:
        errors["material_file"] = _("Upload a PDF, slides (PPTX, PPT, ODP), a document (DOCX, DOC, "
                                    "ODT, TXT), a spreadsheet (XLSX, XLS, ODS) or an image (PNG, "
                                    "JPG). The file's content must match its extension.")
    if errors:
        raise Invalid(errors)
    stored_name = secrets.token_hex(16)
    size = store(upload, materials_folder() / stored_name)
    if size > MAX_MATERIAL_BYTES:
        (materials_folder() / stored_name).unlink(missing_ok=True)
        raise Invalid({"material_file": _("The file is larger than %(mb)d MB.",
                                          mb=MAX_MATERIAL_BYTES // (1024 * 1024))})
    material = Material(workshop_id=workshop.id, session_id=session.id if session else None,
                        title=title, filename=filename, stored_name=stored_name,
                        content_type=kind.content_type, size=size, uploaded_by_id=uploader.id)
    db.session.add(material)
    db.session.flush()
    return material


def store(upload: FileStorage, path: Path) -> int:
    """Write the upload next to its final place, then move it in: no half files on a crash."""
    partial = path.with_suffix(".part")
    size = 0
    with open(partial, "wb") as target:
        while chunk := upload.stream.read(64 * 1024):
            size += len(chunk)
            if size > MAX_MATERIAL_BYTES:
                break
            target.write(chunk)
    os.replace(partial, path)
    return size


def material_path(material: Material) -> Path:
    return materials_folder() / material.stored_name


def remove_material(material: Material) -> Path:
    """Delete the row; returns the file to unlink once the deletion is committed."""
    path = material_path(material)
    db.session.delete(material)
    return path


def materials_for(workshop: Workshop) -> list[Material]:
    """Workshop-wide files first, then each session's, in the order of the sessions."""
    rows = db.session.scalars(select(Material).where(Material.workshop_id == workshop.id))
    start = datetime.combine(workshop.starts_on, time.min)
    return sorted(rows, key=lambda m: (m.session.starts_at if m.session else start,
                                       m.title.lower()))
