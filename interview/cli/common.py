"""What the command groups share: exit codes, the checked input file, the library and a flow
by id (each a one-line error when wrong)."""

from __future__ import annotations

from pathlib import Path

from interview.errors import InterviewError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def at_terminal(*streams) -> bool:
    """Whether every one of these streams is a terminal. A closed one is not: started with
    `<&-` or `>&-`, Python's sys.stdin or sys.stdout is None, and `.isatty()` on it was an
    internal error in every command that asks for a passphrase."""
    try:
        return all(s is not None and s.isatty() for s in streams)
    except (ValueError, OSError):  # a stream closed since
        return False


def input_file(path: Path, what: str = "answer file") -> Path:
    """A file to read, refused before opening when it is not a regular file: a FIFO or a
    device would block or never end."""
    import stat

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return path  # the reader names the missing file
    except OSError as exc:
        raise InterviewError(f"{path}: cannot read the {what}: {exc.strerror}") from None
    if stat.S_ISDIR(mode):
        raise InterviewError(f"{path}: is a folder; give the {what} itself")
    if not stat.S_ISREG(mode):
        raise InterviewError(f"{path}: is not a regular file (a pipe or a device); give the "
                             f"{what} as a file saved on disk")
    return path


def check_county(name: str | None) -> None:
    """`--county` (or CSEC_INTERVIEW_COUNTY), checked when the command line is read, as
    `--lang` is: a county that is not there is one message naming it and the ones there are,
    not a passphrase prompt and then an interview that cannot start."""
    if not name:
        return
    from interview.errors import suggest
    from interview.paths import flows_dir

    counties = flows_dir() / "counties"
    if name.endswith((".yaml", ".yml")) or "/" in name:  # a county file of one's own
        path = Path(name)
        if not path.exists():
            raise InterviewError(f"--county {name}: county file not found; check the path, or "
                                 f"give a county's name ({', '.join(_names(counties))})")
        input_file(path, "county file")
        return
    if not (counties / f"{name}.yaml").is_file():
        known = _names(counties)
        near = suggest(name, known)
        raise InterviewError(f"county {name!r} not found (--county, or "
                             "CSEC_INTERVIEW_COUNTY); "
                             + (f"{near} " if near else "")
                             + f"use one of {', '.join(known)}, or the path of a county YAML "
                             "file")


def _names(counties: Path) -> list[str]:
    return sorted(p.stem for p in counties.glob("*.yaml"))


def library(args):
    """The validated content, from the private content cache when it is current (as the app
    reads it): a command such as `assess` then waits for its answer, not for the YAML of every
    flow. `validate` reads the files themselves, always."""
    from interview.content import cache

    lib = getattr(args, "loaded_library", None)  # read once a command (`check_lang` may first)
    if lib is None:
        lib = args.loaded_library = cache.load(args.county)
    return lib


def language(lib, lang: str | None) -> str:
    """A language the content has translations for (ES and es are the same), or one message
    naming it, the nearest known one and how a county adds a language."""
    from interview.content.translations import languages
    from interview.errors import suggest

    lang = (lang or "en").strip().lower()
    known = languages(lib)
    if lang not in known:
        raise InterviewError(f"--lang {lang!r}: no translation in that language; "
                             + (suggest(lang, known) or f"use one of {', '.join(known)}")
                             + " (a county adds one with a folder of translations: see "
                             "docs/flow-format.md)")
    return lang


def _flow(lib, flow_id: str):
    from interview.errors import unknown_flow

    if flow_id not in lib.flows:
        raise InterviewError(unknown_flow(flow_id, lib.flows))
    return lib.flows[flow_id]

