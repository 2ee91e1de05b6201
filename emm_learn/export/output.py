"""Writes the offline edition to a folder, and to one zip archive if asked.

A folder that is not empty is only written to with --force, and even then only the files an
earlier export listed in its offline/files.json are removed: a mistyped folder name never costs
anyone their own files. Archive entries have fixed dates and modes, so the same edition always
gives the same archive, byte for byte.
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

from .site import MANIFEST_FILE, Edition, ExportError

ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # any fixed date: the archive must not change with the clock


def check_destination(directory: Path, force: bool) -> None:
    if directory.exists() and not directory.is_dir():
        raise ExportError(f"{directory} is a file, not a folder")
    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise ExportError(f"{directory} is not empty. Choose a new or empty folder, or add "
                          "--force to replace the earlier export in it.")


def check_archive(archive: Path, force: bool) -> None:
    if archive.exists() and not force:
        raise ExportError(f"{archive} exists already. Add --force to replace it.")


def remove_earlier_export(directory: Path) -> None:
    """Delete what an earlier export wrote here (listed in its manifest), and nothing else."""
    listing = directory / MANIFEST_FILE
    if not listing.is_file():
        return
    try:
        names = json.loads(listing.read_text(encoding="utf-8"))["files"]
    except (ValueError, KeyError, TypeError):
        return
    root, folders = directory.resolve(), set()
    for name in names:
        path = (directory / name).resolve()
        if root in path.parents and path.is_file():
            path.unlink()
            folders.update(parent for parent in path.parents if root in parent.parents)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def write_folder(edition: Edition, directory: Path, force: bool) -> None:
    check_destination(directory, force)
    directory.mkdir(parents=True, exist_ok=True)
    remove_earlier_export(directory)
    for name, content in edition.files.items():
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def write_archive(edition: Edition, archive: Path, top_folder: str) -> None:
    """One zip; unpacking it gives one folder, named like the exported folder."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    temporary = archive.with_name(archive.name + ".partial")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        for name, content in edition.files.items():
            entry = zipfile.ZipInfo(f"{top_folder}/{name}", date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, so the mode below means the same everywhere
            entry.external_attr = 0o644 << 16
            bundle.writestr(entry, content)
    temporary.replace(archive)


def archive_path(directory: Path) -> Path:
    return directory.with_name(directory.name + ".zip")
