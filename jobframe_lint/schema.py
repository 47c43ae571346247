"""JSON Schema validation (JF002), located at the offending key or value.

Valid documents, nearly all of them, are decided by jsonschema-rs (~0.02 ms a file).
Only a failing document pays for importing jsonschema (~70 ms), whose error paths and
``best_match`` produce the located, readable messages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from jobframe_lint.diagnostics import Diagnostic, Severity, Span
from jobframe_lint.document import Document, FieldPath, field_name
from jobframe_lint.spelling import closest

if TYPE_CHECKING:
    import jsonschema

KINDS = ("levels", "family")
_TYPE_NAMES = {
    "string": "a string",
    "object": "a mapping",
    "array": "a list",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}


@cache
def load_schema(kind: str) -> dict[str, Any]:
    """The shipped schema for ``kind``; read from package data so wheels carry it."""
    from importlib import resources  # ~5 ms where nothing imported it before

    location = resources.files("jobframe_lint") / "schema" / f"{kind}.schema.json"
    text = location.read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _fast_validator(kind: str) -> Any:
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(load_schema(kind))


@cache
def _reference_validator(kind: str) -> jsonschema.Draft202012Validator:
    import jsonschema

    return jsonschema.Draft202012Validator(load_schema(kind))


def is_valid_fast(kind: str, data: Any) -> bool:
    """jsonschema-rs' verdict; False also when it cannot take the data (huge integers)."""
    try:
        return bool(_fast_validator(kind).is_valid(data))
    except (ValueError, OverflowError, TypeError):
        return False


def validate(document: Document) -> list[Diagnostic]:
    """Check ``document`` against the schema its ``kind`` selects."""
    data = document.data
    if data is None:
        return []
    kind = data.get("kind")
    if kind not in KINDS:
        return [_kind_problem(document, kind)]
    return validate_as(document, kind)


def validate_as(document: Document, kind: str) -> list[Diagnostic]:
    """Check ``document`` against the shipped schema ``kind`` (a canon kind, or ``rules``
    for a custom rules file)."""
    if document.data is None or is_valid_fast(kind, document.data):
        return []
    return list(_explain(document, kind, document.data))


def _kind_problem(document: Document, kind: object) -> Diagnostic:
    expected = " or ".join(f"'{name}'" for name in KINDS)
    if kind is None:
        span = document.locate(()).value
        message = f"missing key 'kind': expected {expected}"
    else:
        span = document.locate(("kind",)).value
        message = f"kind: unknown kind {kind!r}, expected {expected}"
    return Diagnostic(document.path, Span(span.start, span.start), "JF002", message, Severity.ERROR)


def _explain(document: Document, kind: str, data: dict[str, Any]) -> Iterator[Diagnostic]:
    from jsonschema.exceptions import best_match

    seen: set[tuple[FieldPath, str]] = set()
    for top in _reference_validator(kind).iter_errors(data):
        error = best_match([top])
        path: FieldPath = tuple(error.absolute_path)
        if error.validator in ("required", "additionalProperties"):
            # jsonschema reports each missing key separately; one pass lists them all.
            if (path, str(error.validator)) in seen:
                continue
            seen.add((path, str(error.validator)))
        yield from _located(document, error, path)


def _located(
    document: Document, error: jsonschema.ValidationError, path: FieldPath
) -> Iterator[Diagnostic]:
    where = field_name(path)
    spot = document.locate(path)

    def at(span: Span, message: str, field: FieldPath = ()) -> Diagnostic:
        return Diagnostic(document.path, span, "JF002", message, Severity.ERROR, field=field)

    validator = error.validator
    schema: Any = error.schema
    instance: Any = error.instance
    expected: Any = error.validator_value
    if validator == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        for key in sorted(set(instance) - set(allowed)):
            meant = closest(key, allowed)
            yield at(
                document.locate((*path, key)).anchor,
                f"{where}: unknown key {key!r}{_suggestion(key, allowed)}",
                (*path, meant) if meant and meant not in instance else (),
            )
    elif validator == "required":
        misspelt = _misspelt(instance, schema.get("properties", {}))
        missing = [name for name in expected if name not in instance and name not in misspelt]
        if not missing:
            return  # each is an unknown key's did-you-mean: that finding is the one
        names = ", ".join(f"'{name}'" for name in missing)
        noun = "key" if len(missing) == 1 else "keys"
        yield at(spot.anchor, f"{where}: missing required {noun} {names}")
    elif "propertyNames" in error.relative_schema_path:
        key = str(instance)
        rule = str(schema.get("description", "")).rstrip(".")
        yield at(
            document.locate((*path, key)).anchor,
            f"{where}: key {key!r} is not valid (expected {rule})",
        )
    elif validator == "type":
        got = _describe(document, path, instance)
        yield at(spot.value, f"{where}: expected {_expected(expected)}, got {got}")
    elif validator == "pattern" and expected == r"\S":
        yield at(spot.value, f"{where}: is blank; canon text needs at least one visible character")
    elif validator == "pattern" and "description" in schema:
        yield at(spot.value, f"{where}: {instance!r} is not {schema['description']}")
    elif validator == "enum":
        choices = [str(choice) for choice in expected]
        hint = _suggestion(str(instance), choices)
        yield at(spot.value, f"{where}: {_shown(instance)} is not allowed{hint}")
    elif validator == "minProperties":
        yield at(spot.anchor, f"{where}: is empty; define at least one entry")
    elif validator == "const":
        yield at(spot.value, f"{where}: expected {expected!r}, got {instance!r}")
    else:
        yield at(spot.value, f"{where}: {error.message}")


def _expected(wanted: str | list[str]) -> str:
    names = [wanted] if isinstance(wanted, str) else list(wanted)
    return " or ".join(_TYPE_NAMES.get(name, name) for name in names)


def _describe(document: Document, path: FieldPath, value: object) -> str:
    source = document.implicit_scalars.get(path)
    if source is not None:
        read_as = (
            "a boolean" if isinstance(value, bool) else "a number" if value is not None else "null"
        )
        shown = _shown(value)
        return f'{shown} (YAML reads the unquoted {source!r} as {read_as}; quote it: "{source}")'
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, dict):
        return "a mapping" + _colon_hint(document, path, value)
    if isinstance(value, list):
        return "a list"
    return _shown(value)


def _colon_hint(document: Document, path: FieldPath, value: dict[str, Any]) -> str:
    """Text with an unquoted ``: `` in it reads as a one-key mapping: say so, with the fix."""
    if len(value) != 1 or document.text is None:
        return ""
    [(key, inner)] = value.items()
    if not isinstance(inner, str):
        return ""
    start = document.locate(path).value.start
    line = document.text.splitlines()[start.line - 1][start.column - 1 :]
    source = line.split(" #")[0].strip()
    if not source.startswith(f"{key}: ") or not source.endswith(inner):
        return ""  # a mapping written as one, over several lines
    quoted = f'"{source}"' if '"' not in source else "'" + source.replace("'", "''") + "'"
    return (
        f' (the unquoted ": " in {source!r} makes YAML read a key and a value; '
        f"quote the whole text: {quoted})"
    )


def _shown(value: object) -> str:
    """A scalar as YAML users write it: ``false``, ``null``, ``42``, ``'text'``."""
    return json.dumps(value) if isinstance(value, bool) or value is None else repr(value)


def _misspelt(instance: dict[str, Any], properties: dict[str, Any]) -> set[str]:
    """The known keys that unknown keys of ``instance`` most likely misspell."""
    unknown = [key for key in instance if key not in properties]
    return {meant for key in unknown if (meant := closest(key, sorted(properties)))}


def _suggestion(key: str, allowed: list[str]) -> str:
    close = closest(key, allowed)
    if close:
        return f"; did you mean {close!r}?"
    if allowed:
        return f"; expected one of: {', '.join(allowed)}"
    return ""
