"""frontend/src/protocol.ts mirrors every TypedDict of boards/protocol.py and boards/wire.py:
same interfaces, same field names, compatible types."""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path
from typing import Any, Literal, NotRequired, get_args, get_origin, is_typeddict

import pytest

from boards import protocol, wire
from journeydata import wire as journeydata_wire
from workshops import wire as workshops_wire

PROTOCOL_TS = Path(__file__).resolve().parents[1] / "frontend" / "src" / "protocol.ts"
INTERFACE = re.compile(r"^export interface (\w+) \{\n(.*?)^\}", re.MULTILINE | re.DOTALL)
FIELD = re.compile(r"^\s+(\w+)(\??): (.+?);", re.MULTILINE)
ALIASES = {protocol.ErrorCode: "ErrorCode"}
OBJECT_TYPES = ("JsonObject", "Record<")


def typescript_interfaces() -> dict[str, dict[str, tuple[bool, str]]]:
    """interface name -> field -> (optional, TS type)."""
    text = PROTOCOL_TS.read_text()
    return {
        name: {field: (bool(optional), kind) for field, optional, kind in FIELD.findall(body)}
        for name, body in INTERFACE.findall(text)
    }


def typed_dicts() -> dict[str, type]:
    found = {}
    for module in (protocol, wire, journeydata_wire, workshops_wire):
        for name, value in vars(module).items():
            if is_typeddict(value) and value.__module__ == module.__name__:
                found[name] = value
    return found


def compatible(python: Any, typescript: str) -> bool:
    """Whether a TS type accepts exactly the JSON values of a Python annotation."""
    typescript = typescript.strip()
    if python in ALIASES:
        return typescript == ALIASES[python]
    origin = get_origin(python)
    if origin in (typing.Union, types.UnionType):
        python_parts = get_args(python)
        ts_parts = [part.strip() for part in typescript.split("|")]
        return len(python_parts) == len(ts_parts) and all(
            any(compatible(p, t) for t in ts_parts) for p in python_parts
        )
    if origin is Literal:
        return typescript == " | ".join(f'"{value}"' for value in get_args(python))
    if origin is list:
        return typescript.endswith("[]") and compatible(get_args(python)[0], typescript[:-2])
    if origin is dict or python is dict:
        return typescript.startswith(OBJECT_TYPES)
    if is_typeddict(python):
        return typescript == python.__name__
    simple = {str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}
    return simple.get(python) == typescript


def test_every_typed_dict_has_an_interface_with_the_same_fields():
    interfaces = typescript_interfaces()
    for name, typed_dict in typed_dicts().items():
        assert name in interfaces, f"protocol.ts has no interface {name}"
        # include_extras keeps NotRequired, which __optional_keys__ misses on Python 3.11 when
        # annotations are strings (from __future__ import annotations).
        hints = typing.get_type_hints(typed_dict, include_extras=True)
        fields = interfaces[name]
        assert set(fields) == set(hints), f"{name}: fields differ"
        for field, annotation in hints.items():
            optional, kind = fields[field]
            not_required = get_origin(annotation) is NotRequired
            if not_required:
                annotation = get_args(annotation)[0]
            assert optional == not_required, f"{name}.{field}: optional or not"
            assert compatible(annotation, kind), f"{name}.{field}: {annotation} vs {kind}"


@pytest.mark.parametrize(
    "constant",
    [
        "PROTOCOL_VERSION",
        "CLOSE_UNAUTHENTICATED",
        "CLOSE_FORBIDDEN",
        "CLOSE_RESYNC",
        "CLOSE_REMOVED",
        "OPS_PER_SECOND",
        "OPS_BURST",
        "MAX_UNACKED_OPS",
        "ACK_EVERY_OPS",
    ],
)
def test_constants_match(constant):
    text = PROTOCOL_TS.read_text()
    found = re.search(rf"^export const {constant} = (.+);$", text, re.MULTILINE)
    assert found, constant
    assert int(found.group(1)) == getattr(protocol, constant)


def test_error_codes_match():
    text = PROTOCOL_TS.read_text()
    union = re.search(r"export type ErrorCode =(.*?);", text, re.DOTALL)
    assert union
    assert re.findall(r'"(\w+)"', union.group(1)) == list(get_args(protocol.ErrorCode))


def test_the_checker_notices_a_mismatch():
    assert not compatible(int, "string")
    assert not compatible(str | None, "string")
    assert compatible(str | None, "string | null")
    assert compatible(list[protocol.ParticipantData], "ParticipantData[]")
