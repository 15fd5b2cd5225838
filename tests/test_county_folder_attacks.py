"""A county's folder against the audit's finding 9: its templates read no file outside their
folder (Jinja2 follows links), and `templates:`, `translations:` and `confidentiality_script:`
name nothing outside the county file's folder. The secret is fictional test data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "flows" / "examples"
SECRET = "SECRET-IN-HOME (fictional) 1795984244"


@pytest.fixture
def county(tmp_path):
    """The audit's layout: a county folder with `templates: tpl`, and a file of the worker's
    outside it."""
    folder = tmp_path / "county"
    (folder / "tpl").mkdir(parents=True)
    path = folder / "county.yaml"
    path.write_text((ROOT / "flows/counties/orange.yaml").read_text(encoding="utf-8")
                    + "templates: tpl\n", encoding="utf-8")
    secret = tmp_path / "home" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET + "\n")
    os.chmod(secret, 0o600)
    return path, secret


def test_a_template_that_includes_a_link_out_of_the_folder_is_refused(county, cli):
    """The audit's attack: `{% include "leak" %}`, `leak` a link to a file in the worker's home;
    `assess` printed the file."""
    path, secret = county
    tpl = path.parent / "tpl"
    (tpl / "leak").symlink_to(secret)
    (tpl / "assess-summary.txt.j2").write_text('{% include "leak" %}\n')
    code, out, err = cli("--county", path, "assess", EXAMPLES / "no-concern.yaml")
    assert SECRET not in out + err
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err
    assert "leak: this county template leads outside the county's templates folder" in err


def test_a_report_template_linked_out_of_the_folder_is_refused(county, cli):
    """The MDT handout leaves the worker's machine: a county's report template that is itself a
    link (or sits in a linked folder) to a file outside is refused, its text never shown."""
    path, secret = county
    outside = secret.parent / "reports"
    outside.mkdir()
    (outside / "mdt.j2").write_text(SECRET + "\n")
    (path.parent / "tpl" / "reports").symlink_to(outside, target_is_directory=True)
    code, out, err = cli("--county", path, "report", EXAMPLES / "labor-debt.yaml",
                         "--part", "mdt")
    assert SECRET not in out + err
    assert code == 1 and "reports/mdt.j2: this county template leads outside" in err
    (path.parent / "tpl" / "reports").unlink()
    (path.parent / "tpl" / "reports").mkdir()
    (path.parent / "tpl" / "reports" / "mdt.j2").symlink_to(outside / "mdt.j2")
    code, out, err = cli("--county", path, "report", EXAMPLES / "labor-debt.yaml",
                         "--part", "mdt")
    assert SECRET not in out + err and code == 1 and "leads outside" in err


def test_a_link_inside_the_folder_to_a_file_inside_it_still_works(county, cli):
    """What the check must not break: a county's template that includes another of its own
    files, even through a link that stays inside the folder."""
    path, _ = county
    tpl = path.parent / "tpl"
    (tpl / "part.txt").write_text("Our county's own words (fictional)\n")
    (tpl / "alias").symlink_to(tpl / "part.txt")
    (tpl / "assess-summary.txt.j2").write_text('{% include "alias" %}\n')
    code, out, err = cli("--county", path, "assess", EXAMPLES / "no-concern.yaml")
    assert code == 0 and out == "Our county's own words (fictional)\n", err


@pytest.mark.parametrize("key, value", [
    ("templates", ".."), ("templates", "/"), ("templates", "../home"),
    ("translations", "../home"), ("translations", "/tmp"),
    ("confidentiality_script", "../home/conf.yaml"),
    ("confidentiality_script", "/etc/passwd"),
    ("templates", "linked"),  # a link in the folder to a folder outside it
])
def test_a_county_file_naming_a_place_outside_its_folder_is_refused(tmp_path, cli, key, value):
    folder = tmp_path / "county"
    folder.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(ROOT / "flows/scripts/confidentiality.yaml", home / "conf.yaml")
    (folder / "linked").symlink_to(home, target_is_directory=True)
    path = folder / "county.yaml"
    path.write_text((ROOT / "flows/counties/orange.yaml").read_text(encoding="utf-8")
                    + f"{key}: {value}\n", encoding="utf-8")
    message = f"{key}: "
    code, out, err = cli("validate", path)
    assert code == 1 and message in err and "is outside the county file's folder" in err, err
    code, out, err = cli("--county", path, "assess", EXAMPLES / "no-concern.yaml")
    assert code == 1 and message in err and "is outside the county file's folder" in err, err
    assert "Traceback" not in err


def test_places_inside_the_county_folder_are_accepted(tmp_path, cli):
    """A subfolder, `.`-relative and a link that stays inside: accepted as before."""
    folder = tmp_path / "county"
    (folder / "scripts").mkdir(parents=True)
    (folder / "tpl").mkdir()
    shutil.copy(ROOT / "flows/scripts/confidentiality.yaml", folder / "scripts/conf.yaml")
    (folder / "tpl-link").symlink_to(folder / "tpl", target_is_directory=True)
    path = folder / "county.yaml"
    path.write_text((ROOT / "flows/counties/orange.yaml").read_text(encoding="utf-8")
                    + "confidentiality_script: ./scripts/conf.yaml\ntemplates: tpl-link\n",
                    encoding="utf-8")
    code, out, err = cli("validate", path)
    assert code == 0, err
    code, out, err = cli("--county", path, "assess", EXAMPLES / "no-concern.yaml")
    assert code == 0, err
