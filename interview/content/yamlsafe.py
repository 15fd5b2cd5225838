"""Safe YAML loading that remembers line numbers and refuses hostile files.

Only the safe loader is used. Aliases are refused outright (no flow needs them, and refusing
them makes an alias bomb impossible rather than merely slow); files over 1 MiB are
refused before they are read; duplicate keys are errors rather than silent overwrites.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from interview.errors import ContentError, Problem

MAX_BYTES = 1024 * 1024
# libyaml's composer recurses in C and crashes the process (not a RecursionError) on nesting
# ~30,000 deep. Nesting depth is at most the number of `[ { - : ?` indicators, so a file with
# fewer than SAFE_INDICATORS of them is composed directly; a larger one is first walked as a
# flat event stream and refused if it nests deeper than MAX_DEPTH.
SAFE_INDICATORS = 5_000
MAX_DEPTH = 500

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_scalars = yaml.constructor.SafeConstructor()
STR_TAG = "tag:yaml.org,2002:str"


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


def item_line(seq: Any, index: int, default: int = 0) -> int:
    """The line of item `index` of a parsed sequence, or `default` when it is not known."""
    lines = getattr(seq, "item_lines", None) or []
    return lines[index] if index < len(lines) else default


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
        line = raw[:exc.start].count(b"\n") + 1
        raise ContentError([Problem(shown, line, f"{what} is not UTF-8 text (byte {exc.start})",
                                    "save the file as UTF-8")]) from None


def load_yaml(path: Path, what: str = "file") -> Any:
    """Load one YAML file into YMap/YList/scalars, or raise ContentError naming file and line."""
    text = read_text_limited(path, what)
    return parse_yaml(text, str(path))


def _check_depth(text: str, shown: str) -> None:
    if sum(text.count(c) for c in "[{-:?") < SAFE_INDICATORS:
        return
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise ContentError([Problem(shown, event.start_mark.line + 1,
                                            "YAML is nested too deeply", "flatten the structure")])
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def parse_yaml(text: str, shown: str) -> Any:
    try:
        _check_depth(text, shown)
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "cannot be parsed"
        if "nesting depth" in what:  # PyYAML >= 6.0.3 has a depth limit of its own
            raise ContentError([Problem(shown, line, "YAML is nested too deeply",
                                        "flatten the structure")]) from None
        raise ContentError([Problem(
            shown, line, f"YAML syntax: {what}",
            "check the indentation and quoting on this line and the one before it")]) from None
    except yaml.reader.ReaderError as exc:  # e.g. a control character; no mark, a position
        line = text[:exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise ContentError([Problem(
            shown, line, f"YAML syntax: the control character {char} is not allowed",
            "remove it, or write it as an escape in a double-quoted string")]) from None
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
        return _scalar(node, shown, problems)
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
            key_line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                problems.append(Problem(shown, key_line, "merge keys (<<) are not allowed",
                                        "write the keys out in full"))
                continue
            key = _scalar(key_node, shown, problems)
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


def _scalar(node: yaml.ScalarNode, shown: str, problems: list[Problem]) -> Any:
    """A scalar's value; a bad tag or value (`!!python/...`, `!!int x`, 2024-02-30) is a problem."""
    if node.tag == STR_TAG:  # most scalars: the text itself, as SafeConstructor makes it
        return node.value
    try:
        return _scalars.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        if tag == "!!timestamp":
            message, fix = f"{node.value!r} is not a real date", "write a date as YYYY-MM-DD"
        else:
            message, fix = f"cannot read the value {node.value!r} as {tag}", "quote it to make it text"
        problems.append(Problem(shown, node.start_mark.line + 1, message, fix))
        return node.value
    finally:  # the shared constructor would otherwise keep every node it ever built
        _scalars.constructed_objects.pop(node, None)
        _scalars.recursive_objects.pop(node, None)


def jsonable(value):
    """What YAML read (dates as `datetime.date`), as JSON and the event log hold it: dates as
    ISO text, in nested mappings and lists too. Answer files and scenarios' case facts use it."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value
