"""What is said to the youth, the caregiver and a hotline reporter in other languages (issue 17).

The English in flows/ is the source and the record's language. A translation lives beside it,
one file per source file and language, so a county's certified translator replaces a file
without touching code or the English:

    flows/lang/es/youth.yaml                    the youth.yaml steps said to the youth
    flows/lang/es/caregiver.yaml                the caregiver.yaml steps said to the caregiver
    flows/lang/es/runaway-return.yaml           the return interview's own steps
    flows/lang/es/hotline.yaml                  the hotline questions put to the reporter
    flows/lang/es/parts/<part>.yaml             a part's steps, when a part has any said
    flows/lang/es/scripts/confidentiality.yaml  the confidentiality script, by part (`covers`)

A county's configuration may name a folder of its own (`translations: DIR`, same layout): a file
there replaces the shipped file of the same name. Each entry carries `english:`, a fingerprint of
the English it translates, so `validate` can say when the English changed after the translation
was written. Only steps said to a youth, a caregiver or a reporter (scripts and questions) are
translated;
worker prompts, guidance, cue labels (the worker's checklist), findings and reports stay English.

Headless: no Textual, no storage. The app, the CLI and practice call `said_text` and `languages`.
"""

from __future__ import annotations

import re
from dataclasses import field
from pathlib import Path
from typing import Any

from interview.content import model as m
from interview.content.words import WORD_RE, defined, fold, folded_words, split_words
from interview.errors import ContentError, Problem, suggest
from interview.lazy_dataclass import dataclass

SOURCE_LANGUAGE = "en"
STATUSES = ("draft", "reviewed")
SAID_AUDIENCES = ("youth", "caregiver", "reporter")
SAID_KINDS = ("script", "open", "closed")
FINGERPRINT_RE = re.compile(r"^[0-9a-f]{12}$")
PLACEHOLDER_RE = re.compile(r"\{([^{}\s]*)\}")
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # Unicode's Cc, but newline and tab
FILE_KEYS = {"language", "status", "steps", "parts", "note"}
ENTRY_KEYS = {"english", "text", "follow_up", "cues"}


@dataclass(frozen=True)
class SaidText:
    """What the worker says for one step in one language."""

    text: str
    follow_up: str = ""
    cues: dict = field(default_factory=dict)   # cue id -> label, where the translation has them
    stale: bool = False     # the English changed after this translation was written
    draft: bool = False     # not yet reviewed by the county's certified translator
    language: str = SOURCE_LANGUAGE


@dataclass(frozen=True)
class Entry:
    """One translated step (or script part), as its file says it."""

    english: str
    text: str
    follow_up: str = ""
    cues: tuple[tuple[str, str], ...] = ()
    line: int = 0


@dataclass(frozen=True)
class TranslationFile:
    path: Path
    language: str
    status: str
    steps: dict[str, Entry]     # step id -> entry (flow and part files)
    parts: dict[str, Entry]     # covers -> entry (scripts/)

    @property
    def draft(self) -> bool:
        return self.status != "reviewed"


@dataclass(frozen=True)
class Translations:
    """Every language's files, keyed by the path of the source file they translate (relative
    to the flows folder: `youth.yaml`, `parts/labor-criminal.yaml`, `scripts/confidentiality.yaml`)."""

    root: Path
    files: dict[str, dict[str, TranslationFile]]
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # each language's list

    @property
    def languages(self) -> list[str]:
        return sorted(self.files)

    def file_for(self, step: m.Step, language: str) -> TranslationFile | None:
        return self.files.get(language, {}).get(source_key(step, self.root))

    def script(self, script_id: str, language: str,
               script: m.Script | None = None) -> TranslationFile | None:
        """The translation of a script. A county's own script (drafted with county counsel) is
        not what the shipped translation translates: only the county's own translation of it
        counts."""
        found = self.files.get(language, {}).get(f"scripts/{script_id}.yaml")
        if found and script is not None and not self.shipped(script.path) \
                and self.shipped(found.path):
            return None
        return found

    def shipped(self, path: Path | None) -> bool:
        """Whether a file is one of the shipped flows' (not a county's own)."""
        if path is None:
            return True
        try:
            Path(path).resolve().relative_to(self.root.resolve())
        except ValueError:
            return False
        return True


# --- fingerprints -------------------------------------------------------------------------------

def fingerprint(*texts: str) -> str:
    """The first 12 hex digits of the SHA-256 of the English texts, as loaded."""
    import hashlib  # here: it costs the app's first screen 3 ms, where nothing is fingerprinted

    return hashlib.sha256("\n\x1f".join(texts).encode("utf-8")).hexdigest()[:12]


def step_fingerprint(step: m.Step, cue_ids=()) -> str:
    """The fingerprint of a step's English: its text and follow-up, and the labels of the cues
    the translation translates (none, in the shipped files: cue labels are the worker's)."""
    cues = [f"{c.id}: {c.label}" for c in step.cues if c.id in cue_ids]
    return fingerprint(step.text, step.follow_up, *cues)


def part_fingerprint(part: m.ScriptPart) -> str:
    return fingerprint(part.text)


def is_said(step: m.Step) -> bool:
    """Whether a step is said aloud to a youth, a caregiver or a reporter (and so translated)."""
    return step.audience in SAID_AUDIENCES and step.kind in SAID_KINDS


_keys: dict[tuple[str, Path], str] = {}


def source_key(step: m.Step, root: Path) -> str:
    """Where a step is written, relative to the flows folder (its file name when outside it)."""
    cached = _keys.get((step.file, root))
    if cached is None:
        path = Path(step.file)
        try:
            cached = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            cached = path.name
        _keys[(step.file, root)] = cached
    return cached


# --- matching labelling words in any language ----------------------------------------------------

def labelling_words_any(text: str, words: tuple[str, ...]) -> list[str]:
    """The listed words `text` uses, matched without regard to case or accents (the list's too:
    "víctima" listed finds "victima"), in the order the text has them: each word of the text
    looked up among the one-word entries, plural forms included, and the entries of several
    words ("abuso sexual") by their pattern (words.split_words), searched only in a text that
    has one of their first words (most texts have none)."""
    if not text or not words:
        return []
    folded = fold(text)
    single, several, firsts = split_words(folded_words(words))
    seen = WORD_RE.findall(folded)
    found = [] if single.isdisjoint(seen) else [
        (m.start(), m.group(0)) for m in WORD_RE.finditer(folded) if m.group(0) in single]
    if several and (firsts is None or not firsts.isdisjoint(seen)):
        found += [(m.start(), m.group(0)) for m in several.finditer(folded)]
    return [word for _, word in sorted(found)]


# --- the API ---------------------------------------------------------------------------------

_current: m.Library | None = None


def use(library: m.Library) -> None:
    """Called by the Library itself: the one `said_text` reads when given none."""
    global _current
    _current = library


def languages(library: m.Library | None = None) -> list[str]:
    """The languages an interview can be said in: English first, then each translation."""
    library = library or _current
    found = library.translations.languages if library and library.translations else []
    return [SOURCE_LANGUAGE] + [lang for lang in found if lang != SOURCE_LANGUAGE]


def said_text(step: m.Step, lang: str, library: m.Library | None = None) -> SaidText | None:
    """What the worker says for `step` in `lang`, placeholders filled from the county.

    None when the step is not said to a youth, caregiver or reporter (a worker's step stays
    English) or
    when `lang` has no translation of it. English (`en`) is the source itself.
    """
    library = library or _current
    if not is_said(step):
        return None
    if lang == SOURCE_LANGUAGE:
        text = library.step_text(step) if library else step.text
        return SaidText(text, _fill(step.follow_up, library),
                        {c.id: c.label for c in step.cues})
    translations = library.translations if library else None
    if translations is None:
        return None
    if step.script:
        return _said_script(step.script, lang, library)
    tfile = translations.file_for(step, lang)
    entry = tfile.steps.get(step.id) if tfile else None
    if entry is None:
        return None
    cue_ids = tuple(cid for cid, _ in entry.cues)
    return SaidText(_fill(entry.text, library, lang), _fill(entry.follow_up, library, lang),
                    dict(entry.cues), entry.english != step_fingerprint(step, cue_ids),
                    tfile.draft, lang)


def _said_script(script_id: str, lang: str, library: m.Library) -> SaidText | None:
    script = library.scripts.get(script_id)
    tfile = library.translations.script(script_id, lang, script)
    if script is None or tfile is None:
        return None
    entries = [tfile.parts.get(part.covers) for part in script.parts]
    if any(e is None for e in entries):
        return None
    stale = any(e.english != part_fingerprint(p) for e, p in zip(entries, script.parts))
    text = "\n\n".join(e.text.strip() for e in entries)
    return SaidText(_fill(text, library, lang), "", {}, stale, tfile.draft, lang)


def _fill(text: str, library: m.Library | None, lang: str = SOURCE_LANGUAGE) -> str:
    return m.fill_placeholders(text, library.county, lang) if library and text else text


# --- loading ---------------------------------------------------------------------------------

def lang_dirs(root: Path, county: m.County | None) -> list[Path]:
    """The folders translations come from, the county's last (its files win)."""
    dirs = [root / "lang"]
    if county is not None and county.translations is not None:
        dirs.append(county.translations)
    return [d for d in dirs if d.is_dir()]


def load_translations(root: Path, county: m.County | None, flows: dict[str, m.Flow],
                      scripts: dict[str, m.Script],
                      english_words: tuple[str, ...]) -> tuple[Translations, list[Problem]]:
    """Every translation file (the shipped ones, then the county's over them), each checked:
    its keys, that it translates steps said to a youth, caregiver or reporter that exist in its
    source file, and that nothing it says uses a labelling word of its language's list or
    English's."""
    problems: list[Problem] = []
    said: dict[str, dict[str, m.Step]] = {}
    for flow in flows.values():
        for step in flow.steps:
            said.setdefault(source_key(step, root), {})[step.id] = step
    unread = {p.relative_to(root).as_posix() for p in root.glob("*.yaml")} - set(said)
    files: dict[str, dict[str, Path]] = {}
    for base in lang_dirs(root, county):
        for folder in sorted(p for p in base.iterdir() if p.is_dir()):
            if not m.LANGUAGE_CODE.match(folder.name):
                problems.append(Problem(str(folder), None, f"{folder.name!r} is not a language "
                                        "code", "name the folder with the language's two-letter "
                                        "code, e.g. es, vi, zh"))
                continue
            for path in sorted(folder.rglob("*.yaml")):
                key = path.relative_to(folder).as_posix()
                if key == "youth-words.yaml":  # a county's list for a language it adds
                    continue
                files.setdefault(folder.name, {})[key] = path
    words: dict[str, tuple[str, ...]] = {}
    loaded: dict[str, dict[str, TranslationFile]] = {}
    for lang, paths in files.items():
        words[lang] = _language_words(root, county, lang, problems)
        checked = english_words + words[lang]
        for key, path in paths.items():
            if not key.startswith("scripts/") and key not in said and key in unread:
                continue  # its English could not be read: its problems say so, not these
            before = len(problems)
            tfile = _load_file(path, lang, key, said, scripts, checked, english_words, problems,
                               words[lang])
            if tfile is not None and len(problems) == before:
                loaded.setdefault(lang, {})[key] = tfile
    return Translations(root, loaded, words), problems


def _language_words(root: Path, county: m.County | None, lang: str,
                    problems: list[Problem]) -> tuple[str, ...]:
    from interview.content.loader import guarded, load_youth_words

    shipped = root / "catalog" / f"youth-words-{lang}.yaml"
    own = county.translations / lang / "youth-words.yaml" if county and county.translations \
        else None
    path = own if own is not None and own.is_file() else shipped
    if not path.is_file():
        problems.append(Problem(str(shipped), None, f"no list of the words never said to a youth "
                                f"in {lang!r}, so its translations cannot be checked",
                                f"add {shipped.name} to flows/catalog (or youth-words.yaml to "
                                f"the county's translations folder, under {lang}/), laid out "
                                "like youth-words-es.yaml"))
        return ()
    return guarded(problems, load_youth_words, path) or ()


def _load_file(path: Path, lang: str, key: str, said: dict[str, dict[str, m.Step]],
               scripts: dict[str, m.Script], words: tuple[str, ...],
               english_words: tuple[str, ...], problems: list[Problem],
               own: tuple[str, ...] = ()) -> TranslationFile | None:
    from interview.content.loader import Collector
    from interview.content.yamlsafe import line_of, load_yaml  # only when loading, not cached

    c = Collector(path)
    try:
        data = load_yaml(path, "translation file")
    except ContentError as exc:
        problems.extend(exc.problems)
        return None
    is_script = key.startswith("scripts/")
    entries_key = "parts" if is_script else "steps"
    if not c.keys(data, FILE_KEYS, "translation file", required={"language", "status",
                                                                 entries_key}):
        problems.extend(c.problems)
        return None
    lines = data.key_lines
    if data.get("language") != lang:
        c.add(lines.get("language"), f"language {data.get('language')!r} is not the folder's "
              f"({lang!r})", f"write `language: {lang}`, or move the file to the right folder")
    status = data.get("status")
    if status not in STATUSES:
        c.add(lines.get("status"), f"status {status!r} is not one of {', '.join(STATUSES)}",
              "write `status: draft` until the county's certified translator has reviewed it, "
              "then `status: reviewed`")
        status = "draft"
    wrong = "steps" if is_script else "parts"
    if wrong in data:
        c.add(lines.get(wrong), f"a {'script' if is_script else 'flow'}'s translation has "
              f"`{entries_key}:`, not `{wrong}:`", f"rename `{wrong}:` to `{entries_key}:`")
    raw = data.get(entries_key)
    if not isinstance(raw, dict):
        c.add(lines.get(entries_key, line_of(data)), f"{entries_key} must be a mapping of "
              f"{'part' if is_script else 'step'} ids to their translation",
              f"write `{entries_key}:` then `  <id>:` lines, each with english and text")
        raw = {}
    if is_script:
        script = scripts.get(Path(key).stem)
        known: dict[str, Any] = {p.covers: p for p in script.parts} if script else {}
        if script is None:
            c.add(line_of(data), f"there is no script {Path(key).stem!r} to translate",
                  f"scripts: {', '.join(sorted(scripts))}")
    else:
        known = said.get(key, {})
        if not known:
            c.add(line_of(data), f"there is no flow or part {key!r} to translate",
                  f"name the file after the English file it translates, e.g. {lang}/youth.yaml")
    entries: dict[str, Entry] = {}
    for ident, value in raw.items():
        line = raw.key_lines.get(ident, line_of(raw))
        what = f"{'part' if is_script else 'step'} {ident!r}"
        if ident not in known:
            if known:
                c.add(line, f"{what} is not in {key}", suggest(ident, known)
                      or "check the id against the English file (ids never change)")
            continue
        source = known[ident]
        if not is_script and not is_said(source):
            c.add(line, f"{what} is a {source.audience}'s {source.kind} step, never said to a "
                  "youth, caregiver or reporter, so it stays in English",
                  "remove it from the translation")
            continue
        entry = _entry(c, value, what, source, line, words, english_words, own)
        if entry is not None:
            entries[ident] = entry
    problems.extend(c.problems)  # (the file is still returned, so its gaps can be listed too)
    return TranslationFile(path, lang, str(status), entries if not is_script else {},
                           entries if is_script else {})


def _entry(c, value: Any, what: str, source, line: int, words: tuple[str, ...],
           english_words: tuple[str, ...], own: tuple[str, ...] = ()) -> Entry | None:
    """One entry, checked. A text may use a word of the lists only where the English it
    translates uses one of the English list: never for a youth (whose English never does). For
    a caregiver, only the definition terms its English names ("CSEC or trafficking": CSEC,
    trata), each as the language's list says it (`own`, a words.WordList), never a label of the
    child or the people in their life; nor a word that tips off the caregiver ("indicador")
    unless its English says the same (validate.TIP_OFF_WORDS)."""
    from interview.content.validate import TIP_OFF_WORDS
    if not c.keys(value, ENTRY_KEYS, what, required={"english", "text"}):
        return None
    lines = value.key_lines
    english_fp = value.get("english")
    if not isinstance(english_fp, str) or not FINGERPRINT_RE.match(english_fp):
        c.add(lines.get("english", line), f"{what}: english {english_fp!r} is not a fingerprint",
              "write the 12 hex digits `validate` reports for this step (quote it: "
              "english: \"0123456789ab\")")
        english_fp = ""
    text = c.text(value, "text", what, required=True)
    follow_up = c.text(value, "follow_up", what)
    if follow_up and not getattr(source, "follow_up", ""):
        c.add(lines.get("follow_up"), f"{what}: the English has no follow_up to translate",
              "remove follow_up")
    cues: list[tuple[str, str]] = []
    raw_cues = value.get("cues")
    if raw_cues is not None:
        cue_ids = getattr(source, "cue_ids", frozenset())
        if not isinstance(raw_cues, dict):
            c.add(lines.get("cues"), f"{what}: cues must be a mapping of cue ids to labels",
                  "write `cues: {cue_id: \"...\"}`")
        else:
            for cid, label in raw_cues.items():
                cline = raw_cues.key_lines.get(cid, lines.get("cues"))
                if cid not in cue_ids:
                    c.add(cline, f"{what}: cue {cid!r} is not a cue of the step",
                          suggest(cid, cue_ids) or f"its cues: {', '.join(sorted(cue_ids))}")
                elif not isinstance(label, str) or not label.strip():
                    c.add(cline, f"{what}: cue {cid!r} must be non-empty text", "quote it")
                else:
                    cues.append((str(cid), label.strip()))
    said = [("text", text), ("follow_up", follow_up)] + [(f"cue {k}", v) for k, v in cues]
    for key, words_text in said:
        control = CONTROL_RE.search(words_text)
        if control is not None:
            c.add(lines.get(key.split()[0], line), f"{what}: {key} has the control character "
                  f"U+{ord(control.group(0)):04X}, which a screen would not show as text",
                  "remove it (a YAML escape like \\e or \\x1b in double quotes writes one)")
        for name in PLACEHOLDER_RE.findall(words_text):
            if name not in m.PLACEHOLDERS:
                c.add(lines.get(key.split()[0], line), f"{what}: unknown placeholder "
                      f"{{{name}}} in {key}", "keep the English's placeholders as they are")
        english = _english_of(source, key)
        caregiver = getattr(source, "audience", "") == "caregiver"
        tip_off = getattr(own, "tip_off", ()) if caregiver else ()
        # one look-up of the text for both lists (most texts use none, and nothing more is done)
        found = labelling_words_any(words_text, words + tip_off if tip_off else words)
        tipped = []
        if found and tip_off:
            tips = split_words(folded_words(tip_off))[0]
            tipped = [w for w in found if w in tips]
            found = [w for w in found if w not in tips]
        if caregiver:
            allowed = {fold(w) for term in defined(english_words, english)
                       for w in getattr(own, "definitions", {}).get(term, ())} if found else ()
            if allowed:
                found = labelling_words_any(words_text, tuple(
                    w for w in folded_words(words) if w not in allowed))
            if tipped and not labelling_words_any(english, TIP_OFF_WORDS):
                c.add(lines.get(key.split()[0], line), f"{what}: {key} uses "
                      f"{', '.join(repr(w) for w in dict.fromkeys(tipped))}, which tells "
                      "the caregiver in the room what the worker is looking for",
                      "ask in plain words, as the English does; the indicators are the "
                      "worker's, in the step's `reference:` (F2)")
        elif found and labelling_words_any(english, english_words):
            found = []
        if found:
            c.add(lines.get(key.split()[0], line), f"{what}: {key} uses "
                  f"{', '.join(repr(w) for w in dict.fromkeys(found))}, which must not be said "
                  "to a youth or a caregiver in any language (DOMAIN.md section 10)",
                  "say what happened in plain words, as the English does" + (
                      "; a caregiver hears only the definition terms its English names, as "
                      "the language's word list maps them (`definitions:`, as in "
                      "youth-words-es.yaml)"
                      if getattr(source, "audience", "") == "caregiver" else ""))
    return Entry(english_fp, text, follow_up, tuple(cues), line)


def _english_of(source, key: str) -> str:
    """The English a translated text stands for (a step's text, follow_up or a cue's label)."""
    if key.startswith("cue "):
        cue = source.cue(key.removeprefix("cue "))
        return cue.label if cue else ""
    return getattr(source, key, "") or ""
    return Entry(english, text, follow_up, tuple(cues), line)


# --- gaps: what validate reports -----------------------------------------------------------------

def gaps(library: m.Library, translations: Translations | None = None,
         only: tuple[str, str] | None = None
         ) -> tuple[list[Problem], list[Problem], list[Problem]]:
    """(missing, stale, county_scripts): every step said to a youth, caregiver or reporter with no
    translation (or no translated follow-up) in a language; every translation whose English has
    changed; and a county's own script with no translation of the county's (a warning: the
    county drafts it with county counsel, its translation is the county's to add).
    `only`: (language, file) to look at one translation file alone."""
    missing: list[Problem] = []
    stale: list[Problem] = []
    county_scripts: list[Problem] = []
    translations = translations or library.translations
    if translations is None:
        return missing, stale, county_scripts
    for lang in translations.languages:
        if only and lang != only[0]:
            continue
        seen: set[tuple[str, str]] = set()
        for flow in library.flows.values():
            for step in flow.steps:
                key = source_key(step, translations.root)
                if not is_said(step) or (key, step.id) in seen:
                    continue
                seen.add((key, step.id))
                if only and (f"scripts/{step.script}.yaml" if step.script else key) != only[1]:
                    continue
                if step.script:
                    _script_gaps(library, translations, step.script, lang, missing, stale,
                                 county_scripts, seen)
                    continue
                tfile = translations.file_for(step, lang)
                entry = tfile.steps.get(step.id) if tfile else None
                where = f"{Path(step.file).name}:{step.line}"
                target = str(tfile.path) if tfile else _expected(translations, lang, key)
                now = step_fingerprint(step, tuple(k for k, _ in entry.cues) if entry else ())
                if entry is None:
                    missing.append(Problem(target, None, f"step {step.id!r} ({where}) has no "
                                           f"{lang!r} translation", f"add it under `steps:` with "
                                           f"`english: \"{now}\"` and its text"))
                    continue
                if step.follow_up and not entry.follow_up:
                    missing.append(Problem(target, entry.line, f"step {step.id!r} ({where}): the "
                                           f"follow_up has no {lang!r} translation",
                                           "add `follow_up:` to the entry"))
                if entry.english and entry.english != now:  # (no fingerprint: reported already)
                    stale.append(_stale(target, entry, f"step {step.id!r}", where, lang, now))
                county_scripts += _english_names(library.county, lang, entry, target,
                                                 f"step {step.id!r}")
    return missing, stale, county_scripts


# What needs no word of a language: a number.
SAID_AS_IS = frozenset({"hotline_phone"})


def _english_names(county: m.County | None, lang: str, entry: Entry, target: str,
                   what: str) -> list[Problem]:
    """A warning for each placeholder a translation says that the county gives no name for in
    its language: the English would be read in the middle of it ("aquí en your county"), as
    County.placeholders_in falls back to it (the Spanish audit, finding 12)."""
    if county is None:
        return []
    given = {name for language, names in county.in_language if language == lang
             for name, _ in names}
    used = dict.fromkeys(name for text in (entry.text, entry.follow_up, *(v for _, v in entry.cues))
                         for name in PLACEHOLDER_RE.findall(text or ""))
    english = county.placeholders()
    return [Problem(target, entry.line, f"{what} says {{{name}}}, which the county names in "
                    f"English only ({english.get(name, '')!r}): in {lang!r} that English is read "
                    "in the middle of the sentence",
                    f"add `in_language: {{{lang}: {{{name}: ...}}}}` to the county file "
                    f"(county {county.id!r}), with the name as said in {lang!r}")
            for name in used if name in m.PLACEHOLDERS and name not in SAID_AS_IS
            and name not in given]


def _script_gaps(library, translations, script_id, lang, missing, stale, county_scripts,
                 seen) -> None:
    if ("scripts", script_id) in seen:
        return
    seen.add(("scripts", script_id))
    script = library.scripts[script_id]
    tfile = translations.script(script_id, lang, script)
    target = str(tfile.path) if tfile else _expected(translations, lang,
                                                      f"scripts/{script_id}.yaml")
    where = Path(script.path).name if script.path else script_id
    if tfile is None and not translations.shipped(script.path):
        county_scripts.append(Problem(str(script.path), None, f"the county's own script "
                                      f"{script_id!r} has no {lang!r} translation: in {lang!r} "
                                      "the worker reads it in English (or through an interpreter)",
                                      f"add {lang}/scripts/{script_id}.yaml, translated by the "
                                      "county's certified translator, to the county's "
                                      "translations folder (`translations:` in the county file)"))
        return
    for part in script.parts:
        entry = tfile.parts.get(part.covers) if tfile else None
        now = part_fingerprint(part)
        if entry is None:
            missing.append(Problem(target, None, f"script {script_id!r}, part {part.covers!r} "
                                   f"({where}) has no {lang!r} translation",
                                   f"add it under `parts:` with `english: \"{now}\"` and its text"))
        else:
            if entry.english and entry.english != now:
                stale.append(_stale(target, entry, f"script {script_id!r}, part "
                                    f"{part.covers!r}", where, lang, now))
            county_scripts += _english_names(library.county, lang, entry, target,
                                             f"script {script_id!r}, part {part.covers!r}")


def _stale(target: str, entry: Entry, what: str, where: str, lang: str, now: str) -> Problem:
    return Problem(target, entry.line, f"{what}: the English ({where}) changed after the "
                   f"{lang!r} translation was written (it translates {entry.english}, the "
                   f"English is now {now})", f"check the translation against the English, then "
                   f"write `english: \"{now}\"`")


def _expected(translations: Translations, lang: str, key: str) -> str:
    return str(translations.root / "lang" / lang / key)


def check_file(library: m.Library, path: Path) -> tuple[list[Problem], list[Problem]]:
    """(problems, missing) of one translation file given alone (a translator's draft, anywhere):
    its language is the folder it is in (`es/youth.yaml`, `es/parts/NAME.yaml`)."""
    folder = next((p for p in path.resolve().parents if m.LANGUAGE_CODE.match(p.name)), None)
    if folder is None:
        return [Problem(str(path), None, "cannot tell which language this translation is in",
                        "put it in a folder named with the language's code, as in flows/lang/: "
                        "es/youth.yaml, es/scripts/confidentiality.yaml")], []
    lang, key = folder.name, path.resolve().relative_to(folder).as_posix()
    root = library.translations.root if library.translations else path.parent
    problems: list[Problem] = []
    said: dict[str, dict[str, m.Step]] = {}
    for flow in library.flows.values():
        for step in flow.steps:
            said.setdefault(source_key(step, root), {})[step.id] = step
    if library.translations and lang in library.translations.words:
        words = library.translations.words[lang]
    else:
        words = _language_words(root, library.county, lang, problems)
    tfile = _load_file(path, lang, key, said, library.scripts, library.youth_words + words,
                       library.youth_words, problems, words)
    if tfile is None:
        return problems, []
    alone = Translations(root, {lang: {key: tfile}}, {lang: words})
    missing, stale, county_scripts = gaps(library, alone, (lang, key))
    return problems + stale, missing + county_scripts
