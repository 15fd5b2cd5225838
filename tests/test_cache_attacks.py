"""The content cache against the audit's attacks (/work/briefs/audit-attack.md, findings 7 and
10): it is keyed by what the loader read, wherever the county file points, so an edit to a
county's confidentiality script or translations is seen at once; and it is written only where it
would be read, into a new file, so a link planted at its name is never written through."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from interview.content import cache, loader
from interview.content.translations import said_text, step_fingerprint
from test_translations import COUNTY as TESTSHIRE

ROOT = Path(__file__).resolve().parent.parent
LONG_AGO = 1_600_000_000  # files written "long ago": the cache keeps what was read from them


def settle(folder: Path) -> None:
    """Every file and folder under `folder` written long ago (as a county's files are when the
    worker starts the app), so that loading them is cached."""
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (LONG_AGO, LONG_AGO))


def from_the_cache(monkeypatch, county: str):
    """cache.load(county) without reading any YAML: fails if the cache is not used."""
    def no_yaml(*args, **kwargs):
        raise AssertionError("the YAML was read: the cache was not used")

    with monkeypatch.context() as patch:
        patch.setattr(loader, "load_library", no_yaml)
        return cache.load(county)


def a_county_with_a_script_in_a_subfolder(tmp_path: Path) -> Path:
    """The audit's county: Orange's file, its confidentiality script in `scripts/`."""
    folder = tmp_path / "county"
    (folder / "scripts").mkdir(parents=True)
    text = (ROOT / "flows/counties/orange.yaml").read_text(encoding="utf-8")
    (folder / "county.yaml").write_text(text + "confidentiality_script: scripts/conf.yaml\n",
                                        encoding="utf-8")
    shutil.copy(ROOT / "flows/scripts/confidentiality.yaml", folder / "scripts/conf.yaml")
    settle(folder)
    return folder


def test_an_edit_to_a_county_script_in_a_subfolder_is_seen_at_once(tmp_path, monkeypatch):
    """Finding 7: through the cache the youth heard the script as it was before counsel
    corrected it; and a script edited to label the youth was still served without a word."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = a_county_with_a_script_in_a_subfolder(tmp_path)
    county = str(folder / "county.yaml")
    first = cache.load(county).scripts["confidentiality"].parts[0].text
    assert first.startswith("Before we start, I want to tell you")
    assert from_the_cache(monkeypatch, county).scripts["confidentiality"].parts[0].text == first
    script = folder / "scripts/conf.yaml"
    text = script.read_text(encoding="utf-8")
    script.write_text(text.replace("Before we start, I want to tell you",
                                   "CORRECTED BY COUNSEL: before we start, I want to tell you"),
                      encoding="utf-8")
    settle(folder)  # the same old time: only the size tells (the audit's sed kept neither)
    assert cache.load(county).scripts["confidentiality"].parts[0].text.startswith(
        "CORRECTED BY COUNSEL")
    # An edit of the same size, written now: seen too.
    script.write_text(text.replace("Before we start, I want to tell you",
                                   "BEFORE WE START, I WANT TO TELL YOU"), encoding="utf-8")
    assert cache.load(county).scripts["confidentiality"].parts[0].text.startswith(
        "BEFORE WE START")
    # A script that now labels the youth is refused, not served from the cache.
    script.write_text(text.replace("Before we start, I want to tell you",
                                   "Before we start, as a victim of trafficking"),
                      encoding="utf-8")
    with pytest.raises(Exception) as refused:
        cache.load(county)
    assert "victim" in str(refused.value) and "conf.yaml" in str(refused.value)


# Testshire (fictional), its translations folder named in another YAML form the old key missed.
COUNTY = TESTSHIRE.replace("translations: our-words", '"translations": tr')
assert COUNTY != TESTSHIRE

OWN_YOUTH = """language: es
status: reviewed
steps:
  open_feeling:
    english: "{fp}"
    text: "{text}"
"""


def test_a_county_translation_written_in_another_yaml_form_is_seen_at_once(tmp_path,
                                                                            monkeypatch):
    """Finding 7, the second form: `"translations": tr` is valid YAML the old key's regular
    expression did not see; the translator's correction was not heard."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    library, problems = loader.load_library()
    assert not problems
    step = library.flows["youth"].step("open_feeling")
    fp = step_fingerprint(step)
    folder = tmp_path / "county"
    (folder / "tr" / "es").mkdir(parents=True)
    (folder / "testshire.yaml").write_text(COUNTY, encoding="utf-8")
    own = folder / "tr" / "es" / "youth.yaml"
    own.write_text(OWN_YOUTH.format(fp=fp, text="¿Cómo te sientes?"), encoding="utf-8")
    settle(folder)
    county = str(folder / "testshire.yaml")
    assert said_text(step, "es", cache.load(county)).text == "¿Cómo te sientes?"
    assert said_text(step, "es", from_the_cache(monkeypatch, county)).text == "¿Cómo te sientes?"
    own.write_text(OWN_YOUTH.format(fp=fp, text="¿Cómo te sientes hoy? (CORREGIDO)"),
                   encoding="utf-8")
    assert said_text(step, "es", cache.load(county)).text == "¿Cómo te sientes hoy? (CORREGIDO)"
    # A file the translator adds (a new language folder) is seen too: here it is refused.
    settle(folder)
    cache.load(county)
    (folder / "tr" / "not-a-language").mkdir()
    with pytest.raises(Exception) as refused:
        cache.load(county)
    assert "not-a-language" in str(refused.value)


# Run in a process of its own (an audit hook cannot be removed): every file the loader opens
# while loading a county whose script and translations live in subfolders.
OPENED = r"""
import json, sys
from pathlib import Path
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open"
                 and isinstance(args[0], str) and not args[0].endswith((".py", ".pyc", ".so"))
                 and "site-packages" not in args[0] and "/lib/python" not in args[0] else None)
from interview.content.loader import load_library
library, problems = load_library(None, sys.argv[1])
assert not problems, problems
print(json.dumps(opened))
"""


def test_every_file_the_loader_reads_is_in_the_cache_key(tmp_path, monkeypatch):
    """The key is what the loader read, not a guess at it: every file loading opens (seen by
    an audit hook) is one whose size and time the cache checks."""
    folder = a_county_with_a_script_in_a_subfolder(tmp_path)
    (folder / "county.yaml").write_text((folder / "county.yaml").read_text(encoding="utf-8")
                                        + "'translations': words/here\n", encoding="utf-8")
    shutil.copytree(ROOT / "flows/lang", folder / "words/here")
    county = str(folder / "county.yaml")
    run = subprocess.run([sys.executable, "-c", OPENED, county], capture_output=True,
                         text=True, cwd=tmp_path, check=True)
    opened = {str(Path(p).resolve()) for p in json.loads(run.stdout)}
    assert str((folder / "scripts/conf.yaml").resolve()) in opened  # the attack's file
    assert any("words/here/es" in p for p in opened)
    _, key = cache._key(loader.flows_dir(), county)
    library, problems = loader.load_library(None, county)
    assert not problems
    checked = "".join([key, *cache._stats(cache._read_for(loader.flows_dir(), library.county))])
    checked = {str(Path(line.split("\0")[0]).resolve()) for line in checked.splitlines()[1:]}
    assert opened - checked == set()


# --- finding 10: written only where it would be read, never through a planted link ------------

def test_a_cache_folder_others_can_write_to_is_not_written_through_a_planted_link(tmp_path,
                                                                                  monkeypatch):
    """The audit's attack: another user made the cache folder (here: one anyone may write to)
    and planted a link at the temporary name the program would write; the worker's own file
    was overwritten with the pickle. Now nothing is written there at all."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    shared = tmp_path / "xdg" / "csec-interview"
    shared.mkdir(parents=True)
    os.chmod(shared, 0o777)
    victim = tmp_path / "victim.txt"
    victim.write_text("the worker's own file: precious\n")
    place, key = cache._key(loader.flows_dir(), "orange")
    stem = f"library-{cache._checksum(place)}-{cache._checksum(key)}"
    for pid in range(os.getpid() - 5, os.getpid() + 5):  # the names the old code wrote to
        os.symlink(victim, shared / f"{stem}.{pid}.tmp")
    os.symlink(victim, shared / f"{stem}.pickle")
    assert cache.load("orange").county.name == "Orange County"
    assert victim.read_text() == "the worker's own file: precious\n"
    assert not [p for p in shared.iterdir() if not p.is_symlink()]  # nothing written there


def test_a_link_planted_at_the_temporary_name_in_a_private_folder_is_not_followed(
        tmp_path, monkeypatch):
    """Even in the worker's own folder, the cache is written only into a new file: a link
    already at the temporary name (however it got there) is not written through."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    folder = tmp_path / "xdg" / "csec-interview"
    folder.mkdir(parents=True, mode=0o700)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    place, key = cache._key(loader.flows_dir(), "orange")
    stem = f"library-{cache._checksum(place)}-{cache._checksum(key)}"
    monkeypatch.setattr(cache.os, "urandom", lambda n: b"\0" * n)  # the name made known
    os.symlink(victim, folder / f"{stem}.{os.getpid()}-{'00' * 6}.tmp")
    assert cache.load("orange").county.name == "Orange County"
    assert victim.read_text() == "precious\n"
    assert not list(folder.glob("*.pickle"))  # not cached this time: time only
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cache.load("orange")
    assert len(list(folder.glob("*.pickle"))) == 1 and victim.read_text() == "precious\n"
