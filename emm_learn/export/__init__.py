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
from .site import INDEX_FILE, SHARED, Edition, ExportError, build_edition, export_app

__all__ = ["ExportError", "ExportReport", "export_static"]


@dataclass(frozen=True)
class TreeFigures:
    """One language's part of the edition (or the shared files), for the command's summary."""
    name: str  # 'en', 'es', 'fr' or 'shared'
    home: str | None  # the tree's index.html
    file_count: int
    total_bytes: int
    index_bytes: int

    def summary(self) -> str:
        text = f"{self.name}: {self.file_count} files, {self.total_bytes / 1_000_000:.1f} MB"
        if self.index_bytes:
            text += f" (search index {self.index_bytes / 1000:.0f} kB)"
        return text


@dataclass(frozen=True)
class ExportReport:
    directory: Path
    file_count: int
    total_bytes: int
    trees: tuple[TreeFigures, ...]  # each language's, then the shared files'
    archive: Path | None
    seconds: float

    def summary(self) -> str:
        text = (f"Wrote the offline edition to {self.directory}: {self.file_count} files, "
                f"{self.total_bytes / 1_000_000:.1f} MB")
        if self.archive:
            megabytes = self.archive.stat().st_size / 1_000_000
            text += f", and the archive {self.archive} ({megabytes:.1f} MB)"
        lines = [text + f", in {self.seconds:.1f} s."]
        lines += ["  " + tree.summary() for tree in self.trees]
        homes = ", ".join(tree.home for tree in self.trees if tree.home)
        return "\n".join(lines + [f"Open {homes} in a browser."])


def tree_figures(edition: Edition) -> tuple[TreeFigures, ...]:
    figures = []
    for owner in [*edition.trees, SHARED]:
        files = edition.files_of(owner)
        folder = edition.trees.get(owner)
        index = files.get(f"{folder}{INDEX_FILE}", b"") if folder is not None else b""
        figures.append(TreeFigures(owner, None if folder is None else f"{folder}index.html",
                                   len(files), sum(map(len, files.values())), len(index)))
    return tuple(figures)


def check_online_url(online_url: str | None) -> str | None:
    if not online_url:
        return None
    parts = urlsplit(online_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ExportError("--online-url must be an http:// or https:// address, "
                          f"not {online_url!r}")
    return online_url.rstrip("/")


def export_static(directory: Path, *, online_url: str | None = None, force: bool = False,
                  make_zip: bool = False, content_dir: Path | None = None,
                  languages: tuple[str, ...] | None = None) -> ExportReport:
    """Write the offline edition to directory (and directory.zip), in the languages asked for
    (default all); see the README."""
    started = time.monotonic()
    online_url = check_online_url(online_url)
    check_destination(directory, force)
    if make_zip:
        check_archive(archive_path(directory), force)
    edition = build_edition(export_app(content_dir), online_url, languages)
    write_folder(edition, directory, force)
    archive = archive_path(directory) if make_zip else None
    if archive:
        write_archive(edition, archive, directory.resolve().name)
    return ExportReport(directory, len(edition.files), edition.size, tree_figures(edition),
                        archive, time.monotonic() - started)
