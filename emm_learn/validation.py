"""Form validation shared by every domain: services raise Invalid, views show its messages."""
from __future__ import annotations


class Invalid(Exception):
    """Raised by a service when input breaks a rule; maps field names to user-facing messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def require_length(errors: dict[str, str], field: str, value: str, maximum: int, message: str,
                   minimum: int = 1) -> None:
    if not minimum <= len(value) <= maximum:
        errors.setdefault(field, message)
