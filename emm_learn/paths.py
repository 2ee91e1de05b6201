"""Where the curriculum lives, for a checkout (editable install) and for an installed wheel."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def default_content_dir() -> Path:
    """EMM_CONTENT_PATH, else the checkout's content/, else the copy shipped inside the wheel."""
    if os.environ.get("EMM_CONTENT_PATH"):
        return Path(os.environ["EMM_CONTENT_PATH"]).resolve()
    checkout = PACKAGE_DIR.parent / "content"
    if checkout.is_dir():
        return checkout
    return PACKAGE_DIR / "_content"
