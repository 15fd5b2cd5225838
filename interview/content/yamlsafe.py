"""Safe YAML loading that remembers line numbers and refuses hostile files.

Only the safe loader is used. Anchors and aliases are refused outright (no flow needs them, and
refusing them makes an alias bomb impossible rather than merely slow); files over 1 MiB are
refused before they are read; duplicate keys are errors rather than silent overwrites.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from interview.errors import ContentError, Problem

MAX_BYTES = 1024 * 1024

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_scalars = yaml.constructor.SafeConstructor()


class YMap(dict):
    """A mapping that knows the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict


class YList(list):
    """A sequence that knows its line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list


def line_of(value: Any, default: int = 0) -> int:
    return getattr(value, "line", default) or default


def read_text_limited(path: Path, what: str = "file") -> str:
    """Read a UTF-8 file, refusing one over MAX_BYTES with a message, not a hang."""
    shown = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ContentError([Problem(shown, None, f"{what} not found", "check the path")]) from None
    except OSError as exc:
        raise ContentError([Problem(shown, None, f"cannot read {what}: {exc.strerror}")]) from None
    if path.is_dir():
        raise ContentError([Problem(shown, None, f"is a folder, not a {what}", "give a file")])
    if size > MAX_BYTES:
        raise ContentError([Problem(
            shown, None, f"{what} is {size / 1048576:.1f} MiB; the limit is 1 MiB",
            "split it into smaller files")])
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ContentError([Problem(shown, None, f"cannot read {what}: {exc.strerror}")]) from None
    if len(raw) > MAX_BYTES:
        raise ContentError([Problem(shown, None, f"{what} is over the 1 MiB limit",
                                    "split it into smaller files")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(shown, None, f"{what} is not UTF-8 text (byte {exc.start})",
                                    "save the file as UTF-8")]) from None


def load_yaml(path: Path, what: str = "file") -> Any:
    """Load one YAML file into YMap/YList/scalars, or raise ContentError naming file and line."""
    text = read_text_limited(path, what)
    return parse_yaml(text, str(path))


def parse_yaml(text: str, shown: str) -> Any:
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "cannot be parsed"
        raise ContentError([Problem(
            shown, line, f"YAML syntax: {what}",
            "check the indentation and quoting on this line and the one before it")]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(shown, None, f"YAML syntax: {exc}")]) from None
    except RecursionError:
        raise ContentError([Problem(shown, None, "YAML is nested too deeply",
                                    "flatten the structure")]) from None
    if root is None:
        return None
    problems: list[Problem] = []
    try:
        value = _convert(root, shown, set(), problems)
    except RecursionError:
        raise ContentError([Problem(shown, None, "YAML is nested too deeply",
                                    "flatten the structure")]) from None
    if problems:
        raise ContentError(problems)
    return value


def _convert(node: yaml.Node, shown: str, seen: set[int], problems: list[Problem]) -> Any:
    line = node.start_mark.line + 1
    if id(node) in seen:
        raise ContentError([Problem(
            shown, line, "anchors and aliases (& and *) are not allowed",
            "write the value out in full where it is used")])
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return _scalars.construct_object(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        out = YList()
        out.line = line
        out.item_lines = []
        for item in node.value:
            out.append(_convert(item, shown, seen, problems))
            out.item_lines.append(item.start_mark.line + 1)
        return out
    if isinstance(node, yaml.MappingNode):
        out = YMap()
        out.line = line
        out.key_lines = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(shown, key_node.start_mark.line + 1,
                                        "a key must be plain text", "use a simple name as key"))
                continue
            key = _scalars.construct_object(key_node)
            key_line = key_node.start_mark.line + 1
            if key == "<<":
                problems.append(Problem(shown, key_line, "merge keys (<<) are not allowed",
                                        "write the keys out in full"))
                continue
            if key in out:
                problems.append(Problem(
                    shown, key_line, f"duplicate key {key!r} (first on line {out.key_lines[key]})",
                    "remove one of the two"))
                continue
            out[key] = _convert(value_node, shown, seen, problems)
            out.key_lines[key] = key_line
        return out
    problems.append(Problem(shown, line, "unsupported YAML node"))  # pragma: no cover
    return None
