"""The app's start-up, as scripts/bench.py measures it (`tui_ratio`): what the first prompt of
`csec-interview interview youth` loads beyond a minimal Textual app must not grow, and what
made it smaller must not change behaviour: interview/lazy_dataclass.py makes the classes
defined before the first prompt without compiling their methods (they must behave exactly as
`dataclasses.dataclass` makes them, and the content model stay immutable), and the content
cache is keyed without hashlib."""

from __future__ import annotations

import copy
import dataclasses
import importlib.util
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from interview import lazy_dataclass
from interview.content import model as m

THIS = sys.modules[__name__]
ROOT = Path(__file__).resolve().parent.parent

# --- the first prompt loads no more than it does now -------------------------------------------

# What the first prompt may load that the benchmark's minimal Textual app does not, each for a
# reason. A module not listed here makes the test fail: if the first prompt truly needs it,
# measure `python scripts/bench.py --only 'tui_*'` before and after, and add it here.
MAY_LOAD = {
    "argparse", "gettext",  # the command line
    "ctypes", "_ctypes", "resource",  # no core dumps (interview/storage/harden.py)
    "transitions", "six",  # the flow's state machine (interview/engine/machine.py)
    "json", "_json",  # the store's formats
    "importlib", "runpy", "gc",  # the command's module, found by name; `python -m`
}
OUR_MODULES = {
    "interview", "interview.lazy_dataclass", "interview.errors", "interview.paths",
    "interview.jsonin", "interview.text", "interview.record",
    "interview.cli", "interview.cli.common", "interview.cli.interview", "interview.cli.store",
    "interview.content", "interview.content.cache", "interview.content.model",
    "interview.content.routing", "interview.content.translations",
    "interview.content.vocabulary", "interview.content.words",
    "interview.engine", "interview.engine.machine", "interview.engine.said",
    "interview.engine.session",
    "interview.storage", "interview.storage.crypto", "interview.storage.errors",
    "interview.storage.files", "interview.storage.harden", "interview.storage.log",
    "interview.storage.marks", "interview.storage.store", "interview.storage.summary",
    "interview.app", "interview.app.app", "interview.app.keystrokes", "interview.app.modes",
    "interview.app.screens",
    "interview.app.screens.interview", "interview.app.widgets",
    "interview.app.widgets.footer", "interview.app.widgets.prompt",
    "interview.app.widgets.transcript",
}

# Run before a program: when it writes the benchmark's stamp (its first screen is drawn), write
# the modules it has loaded, and our dataclasses made by dataclasses.dataclass, beside it.
AT_THE_STAMP = r"""
import os, sys
def _seen(event, args, stamp=os.environ["CSEC_INTERVIEW_FIRST_PROMPT_FILE"], done=[]):
    if event != "open" or not args or args[0] != stamp or done:
        return
    done.append(sorted(sys.modules))
    compiled = [f"{name}.{key}" for name, module in list(sys.modules.items())
                if name.startswith("interview") for key, value in vars(module).items()
                if isinstance(value, type) and "__dataclass_fields__" in value.__dict__
                and value.__module__ == name and "lazy_dataclass" not in
                getattr(getattr(value.__eq__, "__code__", None), "co_filename", "lazy_dataclass")]
    with open(stamp + ".seen", "w") as fh:
        fh.write(repr((done[0], compiled)))
sys.addaudithook(_seen)
"""


def at_first_screen(tmp_path: Path, program: str) -> tuple[list[str], list[str]]:
    stamp = tmp_path / "stamp"
    env = {**os.environ, "CSEC_INTERVIEW_FIRST_PROMPT_FILE": str(stamp),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}  # its own content cache, not the user's
    subprocess.run([sys.executable, "-c", AT_THE_STAMP + program], cwd=ROOT, env=env,
                   check=True, timeout=120, capture_output=True)
    import ast

    return ast.literal_eval((tmp_path / "stamp.seen").read_text())


def test_the_first_prompt_loads_nothing_new_beyond_a_minimal_textual_app(tmp_path):
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    app = ("import runpy; sys.argv = ['csec-interview', 'interview', 'youth']; "
           "runpy.run_module('interview', run_name='__main__', alter_sys=True)")
    at_first_screen(tmp_path, app)  # the first start fills the content cache (YAML is read)
    ours, compiled = at_first_screen(tmp_path, app)
    baseline, _ = at_first_screen(tmp_path, bench.BASELINE_APP)
    extra = sorted(set(ours) - set(baseline))
    new = [name for name in extra if name not in OUR_MODULES
           and name.split(".")[0] not in MAY_LOAD]
    assert new == [], f"the first prompt now loads {new}: see MAY_LOAD"
    assert "interview.app.screens.interview" in extra and "argparse" in extra  # (it can fail)
    assert compiled == [], f"made by dataclasses.dataclass before the first prompt: {compiled}"


# --- interview/lazy_dataclass.py -----------------------------------------------------------------
VALUES = st.one_of(st.integers(-3, 3), st.sampled_from(["", "a", "b"]), st.none(),
                   st.tuples(st.integers(0, 2)))
FACTORIES = {"dict": dict, "list": list, "tuple": tuple}


@st.composite
def specs(draw):
    """A class: its fields (required ones first, as dataclasses requires), frozen, slots, and
    whether it has a __post_init__."""
    fields = []
    for n in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["required", "default", "factory"]))
        fields.append({"name": f"f{n}", "kind": kind, "default": draw(VALUES),
                       "factory": draw(st.sampled_from(sorted(FACTORIES))),
                       "repr": draw(st.booleans()), "compare": draw(st.booleans()),
                       "hash": draw(st.sampled_from([None, True, False]))})
    fields.sort(key=lambda f: f["kind"] != "required")
    return fields, draw(st.booleans()), draw(st.booleans()), draw(st.booleans())


made = 0


def make(decorator, spec, label):
    """The class `spec` describes, made by `decorator`, importable from this module (pickle)."""
    global made
    fields, frozen, slots, post_init = spec
    made += 1
    name = f"{label}{made}"
    namespace = {"__annotations__": {}, "__module__": __name__, "__qualname__": name}
    for f in fields:
        namespace["__annotations__"][f["name"]] = "object"
        options = {"repr": f["repr"], "compare": f["compare"], "hash": f["hash"]}
        if f["kind"] == "default":
            options["default"] = f["default"]
        elif f["kind"] == "factory":
            options["default_factory"] = FACTORIES[f["factory"]]
        namespace[f["name"]] = dataclasses.field(**options)
    if post_init:
        def __post_init__(self):
            if getattr(self, "f0", None) == "b":
                raise ValueError("f0 may not be 'b'")

        namespace["__post_init__"] = __post_init__
    cls = decorator(frozen=frozen, slots=slots)(type(name, (), namespace))
    setattr(THIS, name, cls)
    return cls


def outcome(call):
    """What a call gave: its value, or its exception's type and message."""
    try:
        return "value", call()
    except Exception as exc:  # noqa: BLE001 - the exception is what is compared
        return type(exc).__name__, str(exc)


@settings(max_examples=150, deadline=None)
@given(spec=specs(), data=st.data())
def test_a_class_behaves_as_the_same_dataclasses_dataclass(spec, data):
    ours, theirs = make(lazy_dataclass.dataclass, spec, "Ours"), \
        make(dataclasses.dataclass, spec, "Theirs")
    fields, frozen, slots, _ = spec

    def same(text):  # the two classes' names told apart only by their label
        return str(text).replace(ours.__qualname__, "C").replace(theirs.__qualname__, "C")

    assert [f.name for f in dataclasses.fields(ours)] == [f["name"] for f in fields]
    assert ours.__match_args__ == theirs.__match_args__
    # The arguments: each field given, left out (when it has a default) or forgotten.
    args = []
    for _ in range(2):
        kwargs = {}
        for f in fields:
            if f["kind"] == "required" or data.draw(st.booleans()):
                kwargs[f["name"]] = data.draw(VALUES)
        args.append(kwargs)
    for kwargs in args:
        got, want = outcome(lambda: ours(**kwargs)), outcome(lambda: theirs(**kwargs))
        assert got[0] == want[0] and same(got[1]) == same(want[1])
        positional = list(kwargs.values())[:len(kwargs) - 1]  # the same, partly by position
        if list(kwargs) == [f["name"] for f in fields][:len(kwargs)]:
            assert same(outcome(lambda: ours(*positional))) == \
                same(outcome(lambda: theirs(*positional)))
    if fields and fields[0]["kind"] == "required":
        assert same(outcome(ours)) == same(outcome(theirs))  # a required argument missing
    a, b = (outcome(lambda k=k: ours(**k)) for k in args)
    a_, b_ = (outcome(lambda k=k: theirs(**k)) for k in args)
    if a[0] != "value" or b[0] != "value":
        return
    a, b, a_, b_ = a[1], b[1], a_[1], b_[1]
    assert same(repr(a)) == same(repr(a_))
    assert (a == b) == (a_ == b_) and (a != b) == (a_ != b_)
    assert a != a_ and (a == 1) is False  # another class is never equal
    assert same(outcome(lambda: hash(a))) == same(outcome(lambda: hash(a_)))
    for f in fields:
        if f["kind"] == "factory" and f["factory"] != "tuple" and \
                f["name"] not in args[0] and f["name"] not in args[1]:
            assert getattr(a, f["name"]) is not getattr(b, f["name"])  # a fresh one each
        assigned = outcome(lambda: setattr(a, f["name"], 1))
        assert same(assigned) == same(outcome(lambda: setattr(a_, f["name"], 1)))
        assert (assigned[0] == "FrozenInstanceError") is frozen
        assert same(outcome(lambda: delattr(a, f["name"]))) == \
            same(outcome(lambda: delattr(a_, f["name"])))
    other = outcome(lambda: setattr(a, "other", 1))  # not a field
    if frozen and slots:  # Python 3.11's own raises TypeError from super() there (its bug)
        assert other[0] == "FrozenInstanceError"
    else:  # (with slots and not frozen: AttributeError, no such attribute)
        assert same(other) == same(outcome(lambda: setattr(a_, "other", 1)))
    for copied in (pickle.loads(pickle.dumps(b)), copy.deepcopy(b), copy.copy(b)):
        assert copied == b and repr(copied) == repr(b)
    if fields and "f0" in args[0]:
        assert dataclasses.replace(b, f0=args[0]["f0"]) == dataclasses.replace(
            b, **{"f0": args[0]["f0"]})
        assert same(repr(outcome(lambda: dataclasses.replace(b, f0="a")))) == \
            same(repr(outcome(lambda: dataclasses.replace(b_, f0="a"))))
    assert dataclasses.asdict(b) == dataclasses.asdict(pickle.loads(pickle.dumps(b_)))


def test_what_it_does_not_support_is_refused_where_the_class_is_defined():
    def refused(**options):
        class Made:
            x: int = dataclasses.field(**options)

        with pytest.raises(TypeError):
            lazy_dataclass.dataclass(frozen=True)(Made)

    refused(default=0, init=False)
    refused(default=0, kw_only=True)
    refused(default=0, metadata={"a": 1})

    class OwnEquality:
        x: int = 0

        def __eq__(self, other):
            return True

    with pytest.raises(TypeError):
        lazy_dataclass.dataclass(OwnEquality)

    class DefaultFirst:
        x: int = 0
        y: int

    with pytest.raises(TypeError, match="non-default argument 'y'"):
        lazy_dataclass.dataclass(DefaultFirst)


def test_every_object_of_the_content_from_its_cache_is_immutable(tmp_path, monkeypatch):
    """The Library as the app gets it (unpickled from the content cache): assigning or deleting
    any field of any of its objects raises, and it equals the Library loaded from YAML."""
    from interview.content import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    loaded = cache.load()
    library = cache.load()  # from the cache
    assert library is not loaded and list(tmp_path.rglob("library-*.pickle"))
    assert library == loaded
    seen, kinds = set(), set()

    def walk(value):
        if id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (tuple, list, frozenset, set)):
            for item in value:
                walk(item)
        elif dataclasses.is_dataclass(value):
            kinds.add(type(value).__name__)
            for f in dataclasses.fields(value):
                with pytest.raises(dataclasses.FrozenInstanceError):
                    setattr(value, f.name, None)
                with pytest.raises(dataclasses.FrozenInstanceError):
                    delattr(value, f.name)
                walk(getattr(value, f.name))

    walk(library)
    assert {"Library", "Flow", "Section", "Step", "Cue", "Indicates", "ObservationItem",
            "RedFlag", "AtRiskIndicator", "NextStepSpec", "Script", "ScriptPart", "County",
            "Vocabulary", "Term", "Translations"} <= kinds
    step = library.flows["youth"].steps[0]
    assert dataclasses.replace(step, text=step.text) == step
    assert dataclasses.replace(step, text="other") != step
    assert hash(dataclasses.replace(step, text=step.text)) == hash(step)
    assert repr(library.red_flags[next(iter(library.red_flags))]).startswith("RedFlag(id=")
    assert isinstance(m.Step.__dict__["__setattr__"], type(walk))  # (made by lazy_dataclass)


def test_a_cached_library_kept_under_another_key_is_not_used(tmp_path, monkeypatch):
    """The cache file is named by a checksum of its key (no digest: hashlib costs the first
    screen 3 ms); the whole key is kept in the file, so a file whose key differs (a checksum
    that collides, a file copied from elsewhere) is never taken for the current content."""
    from interview.content import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.load().county.name != "Orange County"
    [file] = (tmp_path / "csec-interview").glob("library-*.pickle")
    key, library = pickle.loads(file.read_bytes())
    assert key == cache._key(cache.flows_dir(), None)[1]
    orange = cache.load("orange")
    file.write_bytes(pickle.dumps((key + "another file\n", orange)))  # the name it would have
    assert cache.load().county.name != "Orange County"  # not taken: the YAML is read again
    file.write_bytes(pickle.dumps((key, orange)))  # (the check can fail: the same key is used)
    assert cache.load().county.name == "Orange County"
