"""Errors of layouts: each problem names where it is, a JSON path (``$.cameras[2].cell``) or the file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a layout: where (a JSON path such as ``$.grid.rows``, or a file) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class LayoutError(ValueError):
    """A layout that cannot be used; ``problems`` says what is wrong, one ``Problem`` each.

    Validation of the fields (``parse_layout``) lists every bad field at once. A document that is
    not an object, a ``schema_version`` that cannot be migrated (see ``NewerLayoutError``) and a
    file that cannot be read (``LayoutFileError``) stop at that one problem.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


class NewerLayoutError(LayoutError):
    """The file comes from a newer Camera Monitor; it is refused, never rewritten."""

    def __init__(self, version: int, supported: int) -> None:
        super().__init__(
            [
                Problem(
                    "$.schema_version",
                    f"this layout is version {version}, made by a newer Camera Monitor; this one reads versions up to "
                    f"{supported}. Update Camera Monitor to open it.",
                )
            ]
        )


def json_type(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "a string", list: "a list", dict: "an object"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
