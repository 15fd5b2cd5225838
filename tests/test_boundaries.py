"""The layers stay layers: every import in `interview/` (at the top of a module or inside a
function) is read with `ast` and checked against the contracts below, and the headless core is
imported in a fresh interpreter to see that Textual never comes with it.

content -> record -> rules -> engine -> storage, reports, practice -> app and CLI. The record
(what an interview has recorded) is data the engine writes and the rules read, so it imports
neither; the rules never import the engine (the engine's sessions ask the rules for findings:
the dependency goes one way).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "interview"

UI = ("textual", "textual_serve", "rich", "interview.app", "interview.cli")
# practice's modules that start or serve the app; the rest of practice is headless.
PRACTICE_UI = ("interview.practice.cli", "interview.practice.serve")
HEADLESS = ("interview.content", "interview.record", "interview.engine", "interview.rules",
            "interview.storage", "interview.reports", "interview.practice", "interview.errors",
            "interview.paths", "interview.text", "interview.handoff", "interview.review",
            "interview.package")
UPPER = ("interview.storage", "interview.reports", "interview.practice") + UI

# (what, the modules it covers, the modules they must not import)
CONTRACTS = [
    ("the headless core never imports Textual (nor the app or the CLI)", HEADLESS, UI),
    ("content imports neither the engine nor practice (nor anything above them)",
     ("interview.content",), ("interview.engine",) + UPPER),
    ("the record is data: it imports neither the engine nor the rules",
     ("interview.record",), ("interview.engine", "interview.rules") + UPPER),
    ("the rules do not import the engine", ("interview.rules",), ("interview.engine",) + UPPER),
    ("the engine imports nothing above it", ("interview.engine",), UPPER),
]


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, package_dir: Path = PACKAGE) -> set[str]:
    """Every module a file imports, anywhere in it (function-level imports included)."""
    name = module_name(path, package_dir)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def within(name: str, prefixes) -> bool:
    return any(name == p.rstrip(".") or name.startswith(p.rstrip(".") + ".") for p in prefixes)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def breaches(covered, forbidden, modules=MODULES, package_dir: Path = PACKAGE) -> list[str]:
    return [f"{name} imports {imported}"
            for name, path in modules.items()
            if within(name, covered) and not within(name, PRACTICE_UI)
            for imported in sorted(imports(path, package_dir)) if within(imported, forbidden)]


@pytest.mark.parametrize("what, covered, forbidden", CONTRACTS, ids=[c[0] for c in CONTRACTS])
def test_the_layers_keep_their_contracts(what, covered, forbidden):
    found = breaches(covered, forbidden)
    assert not found, f"{what}:\n" + "\n".join(found)


def test_a_forbidden_import_is_caught_wherever_it_is_written(tmp_path):
    """The check itself can fail: a rules module that imports the engine inside a function, and
    a content module that imports Textual, are both reported."""
    package = tmp_path / "interview"
    (package / "rules").mkdir(parents=True)
    (package / "content").mkdir()
    rule = package / "rules" / "sneaky.py"
    rule.write_text("def f():\n    from interview.engine.session import Session\n    return Session\n")
    content = package / "content" / "screen.py"
    content.write_text("from textual.app import App\n")
    relative = package / "content" / "relative.py"
    relative.write_text("from ..engine import machine\n")
    modules = {module_name(p, package): p for p in (rule, content, relative)}
    assert breaches(("interview.rules",), ("interview.engine",), modules, package) == [
        "interview.rules.sneaky imports interview.engine.session",
        "interview.rules.sneaky imports interview.engine.session.Session"]
    assert breaches(HEADLESS, UI, modules, package) == [
        "interview.content.screen imports textual.app",
        "interview.content.screen imports textual.app.App"]
    assert "interview.content.relative imports interview.engine" in breaches(
        ("interview.content",), ("interview.engine",), modules, package)


def _loaded_after(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout.split()
    return sorted(m for m in out if within(m, ("textual", "textual_serve")))


def test_importing_the_whole_headless_core_does_not_load_textual():
    headless = [name for name in MODULES if within(name, HEADLESS) and not within(name, PRACTICE_UI)]
    assert len(headless) > 20
    assert _loaded_after("\n".join(f"import {name}" for name in headless)) == []


def test_the_command_line_help_does_not_load_textual():
    assert _loaded_after("from interview.cli import main\ntry:\n    main(['--help'])\n"
                         "except SystemExit:\n    pass") == []
