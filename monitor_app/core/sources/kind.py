"""What a source kind declares: its label, its option fields, its address, its factory.

Each kind's module (``pattern``, ``zmq_hub``, ...) declares one ``SourceKind``; the registry
lists them. Layout validation, the camera editor, ad-hoc layouts and the pipeline read the
declaration, so a kind's facts live in one place. Factories take plain options, never the
layout model: sources know nothing of layouts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a type only: base.py is the contract, this file describes kinds of it
    from monitor_app.core.sources.base import FrameSource

Check = Callable[[Any], "str | None"]
"""Returns a problem description, or None when the value is fine."""

FieldType = type | tuple[type, ...]


@dataclass(frozen=True)
class OptionField:
    """One option of a connection of this kind, as the layout file spells it."""

    type: FieldType
    default: Any = None
    required: bool = False
    check: Check | None = None
    label: str = ""
    """Shown in the camera editor under this label; "" keeps the field out of the editor."""
    hint: str = ""
    """Placeholder text in the editor."""
    choices: tuple[tuple[str, str], ...] = ()
    """(value, label) pairs: the editor shows a drop-down instead of a text box."""
    secret_url: bool = False
    """A URL that may hold a password: the editor shows it masked and keeps the password on edit."""
    secret: bool = False
    """A password or token as a whole: the editor shows dots except while it is being edited."""


@dataclass(frozen=True)
class SourceRequest:
    """What a factory gets: the connection's id, its options with defaults filled in, a title."""

    connection_id: str
    options: Mapping[str, Any]
    title: str
    """The title of the first camera shown from it (single-camera kinds draw or log it)."""


@dataclass(frozen=True)
class SourceKind:
    """A kind of connection (``"kind"`` in a layout file) and everything the app needs to know of it."""

    name: str
    label: str
    factory: Callable[[SourceRequest], FrameSource]
    fields: Mapping[str, OptionField] = field(default_factory=dict)
    address: str | None = None
    """The field the editor shows as the address; a list field is edited as comma-separated text."""
    address_hint: str = ""
    many_cameras: bool = False
    """One connection carries many cameras, told apart by name (a hub); else exactly one, named ""."""
    cross_check: Callable[[Mapping[str, Any]], list[tuple[str, str]]] | None = None
    """A check across fields (options with defaults filled in): (field, problem) pairs, [] when fine."""

    def with_defaults(self, options: Mapping[str, Any]) -> dict[str, Any]:
        """``options`` with every declared default filled in."""
        filled = {name: spec.default for name, spec in self.fields.items() if spec.default is not None}
        filled.update(options)
        return filled

    def address_options(self, address: str) -> dict[str, Any]:
        """The options one address from a command line (``--hub :5555``) stands for: ``{"endpoint": ":5555"}``."""
        if self.address is None:
            raise ValueError(f"a {self.name} connection has no address to give on the command line")
        return {self.address: [address] if self.fields[self.address].type is list else address}

    def editor_fields(self) -> dict[str, OptionField]:
        """The fields the editor shows besides the address, in declaration order."""
        return {name: spec for name, spec in self.fields.items() if spec.label and name != self.address}


def int_range(low: int, high: int) -> Check:
    return lambda v: None if low <= v <= high else f"must be between {low} and {high}, not {v}"


def number_range(low: float, high: float) -> Check:
    return lambda v: None if low <= v <= high else f"must be between {low:g} and {high:g}, not {v}"


def one_of(*choices: str) -> Check:
    return lambda v: None if v in choices else f"must be one of {', '.join(choices)}, not {v!r}"


def non_empty(v: Any) -> str | None:
    return None if v else "must not be empty"


def type_name(kind: FieldType) -> str:
    names = {
        int: "an integer",
        float: "a number",
        str: "a string",
        bool: "true or false",
        list: "a list",
        dict: "an object",
    }
    if isinstance(kind, tuple):
        return "a number" if set(kind) == {int, float} else " or ".join(names.get(k, k.__name__) for k in kind)
    return names.get(kind, kind.__name__)


def has_type(value: Any, kind: FieldType) -> bool:
    """isinstance, except that true/false is never accepted as a number."""
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        return False
    return isinstance(value, kind)
