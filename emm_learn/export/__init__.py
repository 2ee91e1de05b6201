"""The offline edition: ``emm-learn export-static DIR`` writes the curriculum as a static site.

site.py renders and assembles the pages, rewrite.py makes each page work from file://,
search_index.py builds the client-side search index, output.py writes the folder and the zip.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .output import archive_path, check_archive, check_destination, write_archive, write_folder
from .site import INDEX_FILE, ExportError, build_edition, export_app

__all__ = ["ExportError", "ExportReport", "export_static"]


@dataclass(frozen=True)
class ExportReport:
    directory: Path
    file_count: int
    total_bytes: int
    index_bytes: int
    archive: Path | None
    seconds: float

    def summary(self) -> str:
        text = (f"Wrote the offline edition to {self.directory}: {self.file_count} files, "
                f"{self.total_bytes / 1_000_000:.1f} MB (search index "
                f"{self.index_bytes / 1000:.0f} kB)")
        if self.archive:
            megabytes = self.archive.stat().st_size / 1_000_000
            text += f", and the archive {self.archive} ({megabytes:.1f} MB)"
        return text + f", in {self.seconds:.1f} s. Open index.html in a browser."


def check_online_url(online_url: str | None) -> str | None:
    if not online_url:
        return None
    parts = urlsplit(online_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ExportError("--online-url must be an http:// or https:// address, "
                          f"not {online_url!r}")
    return online_url.rstrip("/")


def export_static(directory: Path, *, online_url: str | None = None, force: bool = False,
                  make_zip: bool = False, content_dir: Path | None = None) -> ExportReport:
    """Write the offline edition to directory (and directory.zip); see the README."""
    started = time.monotonic()
    online_url = check_online_url(online_url)
    check_destination(directory, force)
    if make_zip:
        check_archive(archive_path(directory), force)
    edition = build_edition(export_app(content_dir), online_url)
    write_folder(edition, directory, force)
    archive = archive_path(directory) if make_zip else None
    if archive:
        write_archive(edition, archive, directory.resolve().name)
    return ExportReport(directory, len(edition.files), edition.size,
                        len(edition.files[INDEX_FILE]), archive, time.monotonic() - started)
