"""The install is reproducible: constraints.txt pins every dependency within pyproject's ranges."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def pins() -> dict[str, Version]:
    out = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not pinned with =="
            out[re.sub(r"[-_.]+", "-", name).lower()] = Version(version)
    return out


def test_every_dependency_is_pinned_within_its_range():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    pinned = pins()
    for spec in map(Requirement, wanted):
        name = re.sub(r"[-_.]+", "-", spec.name).lower()
        assert name in pinned, f"{spec.name} is not in constraints.txt"
        assert spec.specifier.contains(pinned[name]), (spec, pinned[name])
        assert any(s.operator == "<" for s in spec.specifier), f"{spec} has no upper bound"


def test_the_readme_and_ci_install_with_the_constraints():
    for path in ("README.md", ".ci/run"):
        text = (ROOT / path).read_text(encoding="utf-8")
        installs = [line for line in text.splitlines() if "pip install" in line]
        assert installs and all("-c constraints.txt" in line for line in installs), path
