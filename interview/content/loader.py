"""Build the content model from YAML, collecting every problem with its file and line.

Structure, types and references are checked here, where the line numbers are at hand; checks
that need a whole flow (reachability, the confidentiality gate, words said to a youth) are in
`validate.py`. Nothing here raises on the first problem: authors get the whole list at once.
"""

from __future__ import annotations

import re
from pathlib import Path
from dataclasses import replace
from typing import Any, Callable

from interview.content import model as m
from interview.content.words import WordList, labelling_words
from interview.content.yamlsafe import YMap, item_line, line_of, load_yaml
from interview.errors import ContentError, Problem, flows_hint, is_one_of, suggest
from interview.paths import flows_dir

ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
FLOW_ID_RE = re.compile(r"^[a-z][a-z0-9_-]*$")  # flow ids may have hyphens: runaway-return
SOURCE_RE = re.compile(r"^(000|001|002|003|004) § \S")
PLACEHOLDER_RE = re.compile(r"\{([^{}\s]*)\}")
MAX_CUES = 10  # ticked with the digit keys 1-9 and 0

# sections and source are required too, with messages of their own in build_flow.
FLOW_KEYS = {"id": True, "title": True, "source": False, "sections": False, "gate": False,
             "description": False, "setting": False, "after_absence": False}
# A part: sections written once and included by several flows (flows/parts/).
PART_KEYS = {"part": True, "title": True, "source": False, "sections": False,
             "description": False}
SECTION_KEYS = {"id": True, "title": True, "steps": True, "guidance": False, "reference": False,
                "out_of_view": False}
INCLUDE_KEYS = {"include": True, "sections": False}
# `reference`: the worker's reference in legal terms, shown only on request (never by default).
COMMON_STEP_KEYS = {"id", "kind", "audience", "source", "reference"}
STEP_KEYS = {
    "script": {"text", "script", "guidance"},
    "open": {"text", "guidance", "cues", "fact"},
    "closed": {"text", "guidance", "indicates_on_yes", "indicates_on_no", "follow_up", "cues",
               "branch", "variant_of", "risk_factor", "fact"},
    "observation": {"text", "guidance", "items"},
    "facts": {"text", "fields", "guidance"},
}
INDICATES_KEYS = ("red_flags", "at_risk", "disclosures", "suspected")


class Collector:
    """Collects problems for one file so the author sees all of them at once."""

    def __init__(self, path: Path | str):
        self.path = str(path)
        self.problems: list[Problem] = []

    def add(self, line: int | None, message: str, fix: str = "") -> None:
        self.problems.append(Problem(self.path, line or None, message, fix))

    def keys(self, data: Any, spec: dict[str, bool] | set[str], what: str,
             required: set[str] = frozenset()) -> bool:
        """Check a mapping's keys; False when `data` is not a mapping at all."""
        if not isinstance(data, dict):
            self.add(line_of(data), f"{what} must be a mapping of keys to values",
                     "write it as `key: value` lines")
            return False
        allowed = set(spec)
        if isinstance(spec, dict):
            required = required | {k for k, req in spec.items() if req}
        lines = getattr(data, "key_lines", {})
        for key in data:
            if key not in allowed:
                hint = suggest(key, allowed)
                self.add(lines.get(key, line_of(data)), f"unknown key {key!r} in {what}",
                         hint or f"allowed keys: {', '.join(sorted(allowed))}")
        for key in sorted(required - set(data)):
            self.add(line_of(data), f"{what} has no {key!r}", f"add `{key}:`")
        return True

    def text(self, data: dict, key: str, what: str, required: bool = False) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.add(line_of(data), f"{what} has no {key!r}", f"add `{key}:`")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.add(getattr(data, "key_lines", {}).get(key, line_of(data)),
                     f"{what}: {key!r} must be non-empty text", "quote the value")
            return ""
        return value.strip()

    def ident(self, data: dict, key: str, what: str, pattern: re.Pattern = ID_RE) -> str:
        value = data.get(key)
        line = getattr(data, "key_lines", {}).get(key, line_of(data))
        if not isinstance(value, str) or not pattern.match(value):
            self.add(line, f"{what}: id {value!r} must be lower_snake_case "
                     "(a letter, then letters, digits, underscores)", "rename it, e.g. `where_staying`")
            return str(value) if value is not None else ""
        return value

    def source(self, data: dict, what: str) -> str:
        value = data.get("source")
        line = getattr(data, "key_lines", {}).get("source", line_of(data))
        if value is None:
            self.add(line_of(data), f"{what} has no source",
                     'add `source: "003 § Section heading"` naming the seed document it comes from')
            return ""
        if not isinstance(value, str) or not SOURCE_RE.match(value):
            self.add(line, f"{what}: source {value!r} does not name a seed document",
                     'write it as "DOC § Section heading", DOC one of 000, 001, 002, 003, 004')
            return str(value)
        return value

    def items(self, data: dict, key: str, what: str) -> list:
        """A list under `key`, or an empty list and a problem when it is something else."""
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(data.key_lines.get(key, line_of(data)), f"{what}: {key} must be a list",
                     f"write `{key}:` followed by `- ...` lines")
            return []
        return value

    def raise_if_any(self) -> None:
        if self.problems:
            raise ContentError(self.problems)


# --- catalogs -------------------------------------------------------------------------------

def load_red_flags(path: Path) -> dict[str, m.RedFlag]:
    c = Collector(path)
    data = load_yaml(path, "red-flag chart")
    out: dict[str, m.RedFlag] = {}
    if c.keys(data, {"source": True, "red_flags": True}, "red-flag chart"):
        source = c.source(data, "red-flag chart")
        for row in c.items(data, "red_flags", "red-flag chart"):
            if not c.keys(row, {"row": True, "id": True, "columns": True, "label": True},
                          "red flag"):
                continue
            rid = c.ident(row, "id", "red flag")
            cols = row.get("columns") or []
            cols = cols if isinstance(cols, list) else [cols]
            bad = [col for col in cols if not is_one_of(col, m.COLUMNS)]
            if bad or not cols:
                c.add(line_of(row), f"red flag {rid!r}: columns must be some of {list(m.COLUMNS)}")
            if rid in out:
                c.add(line_of(row), f"duplicate red flag id {rid!r}", "give each row its own id")
            number = row.get("row")
            if type(number) is not int or not 0 < number < 1000:
                c.add(line_of(row), f"red flag {rid!r}: row must be its row number in the chart",
                      "write e.g. `row: 12`")
                number = 0
            out[rid] = m.RedFlag(rid, number, c.text(row, "label", "red flag"), tuple(cols),
                                 source)
    c.raise_if_any()
    return out


def load_at_risk(path: Path) -> dict[str, m.AtRiskIndicator]:
    c = Collector(path)
    data = load_yaml(path, "At-Risk catalog")
    out: dict[str, m.AtRiskIndicator] = {}
    if c.keys(data, {"source": True, "indicators": True, "caution": False}, "At-Risk catalog"):
        c.source(data, "At-Risk catalog")
        for item in c.items(data, "indicators", "At-Risk catalog"):
            if c.keys(item, {"id": True, "group": True, "label": True, "prompted_by": False,
                             "ask": False}, "At-Risk indicator") \
                    and {"id", "group", "label"} <= set(item):  # (a missing one is reported)
                prompted = item.get("prompted_by") or []
                if not isinstance(prompted, list):
                    c.add(item.key_lines.get("prompted_by"), "prompted_by must be a list of "
                          "red-flag ids", "write `prompted_by: [someone_speaks_for_them, ...]`")
                    prompted = []
                out[str(item["id"])] = m.AtRiskIndicator(
                    str(item["id"]), str(item["group"]), c.text(item, "label", "indicator"),
                    tuple(str(rf) for rf in prompted), c.text(item, "ask", "indicator"))
    if tuple(sorted(out)) != m.AT_RISK_LETTERS:
        c.add(line_of(data), "the At-Risk catalog must define exactly the indicators A to H")
    c.raise_if_any()
    return out


def load_next_steps(path: Path) -> dict[str, m.NextStepSpec]:
    c = Collector(path)
    data = load_yaml(path, "next-step catalog")
    out: dict[str, m.NextStepSpec] = {}
    keys = {"id": True, "action": True, "who": True, "deadline": True, "source": True,
            "title": False, "category": False}
    if c.keys(data, {"next_steps": True}, "next-step catalog"):
        for item in c.items(data, "next_steps", "next-step catalog"):
            if not c.keys(item, keys, "next step"):
                continue
            sid = c.ident(item, "id", "next step")
            for key in ("action", "deadline", "title"):
                for name in PLACEHOLDER_RE.findall(str(item.get(key) or "")):
                    if name not in m.PLACEHOLDERS:
                        c.add(item.key_lines.get(key), f"next step {sid!r}: unknown "
                              f"placeholder {{{name}}}", "use one of "
                              f"{', '.join('{' + p + '}' for p in m.PLACEHOLDERS)}")
            if sid in out:
                c.add(line_of(item), f"duplicate next step {sid!r}")
            category = item.get("category") or ""
            if category and category not in m.NEXT_STEP_CATEGORIES:
                c.add(item.key_lines.get("category"), f"next step {sid!r}: category "
                      f"{category!r} is not one of {', '.join(m.NEXT_STEP_CATEGORIES)}",
                      suggest(category, m.NEXT_STEP_CATEGORIES) or "choose one of them")
            out[sid] = m.NextStepSpec(sid, c.text(item, "action", sid), c.text(item, "who", sid),
                                      c.text(item, "deadline", sid), c.source(item, sid),
                                      c.text(item, "title", sid), str(category))
    c.raise_if_any()
    return out


# The words each kind of vocabulary entry may carry (besides `id` and `label`).
VOCABULARY_KEYS = {
    "forms": {"letter", "short"}, "columns": {"letter"}, "csec_types": {"number"},
    "case_statuses": {"says"}, "exploited_during": {"says"}, "abuse_categories": {"subcategories"},
    "response_tiers": {"short", "long"}, "jurisdictions": set(),
}


def load_vocabulary(path: Path) -> m.Vocabulary:
    """The vocabulary catalog: each id the code knows (model.VOCABULARY_IDS) named once."""
    c = Collector(path)
    data = load_yaml(path, "vocabulary")
    kinds: dict[str, dict[str, m.Term]] = {k: {} for k in m.VOCABULARY_IDS}
    spec = {"source": True, **{k: True for k in VOCABULARY_KEYS}}
    if c.keys(data, spec, "vocabulary"):
        c.source(data, "vocabulary")
        for kind, extra in VOCABULARY_KEYS.items():
            for item in c.items(data, kind, "vocabulary"):
                term = _term(c, item, kind, extra)
                if term is None:
                    continue
                _add_term(c, kinds[kind], term, kind, line_of(item))
                if kind != "abuse_categories":
                    continue
                for sub in c.items(item, "subcategories", f"abuse category {term.id!r}"):
                    subterm = _term(c, sub, "abuse_subcategories", {"form"})
                    if subterm is not None:
                        _add_term(c, kinds["abuse_subcategories"],
                                  replace(subterm, category=term.id), "abuse_subcategories",
                                  line_of(sub))
        for kind, known in m.VOCABULARY_IDS.items():
            missing = [i for i in known if i not in kinds[kind]]
            if missing:
                c.add(data.key_lines.get(kind if kind in data else "source"),
                      f"vocabulary: {kind} has no {', '.join(repr(i) for i in missing)}",
                      f"add an entry `- {{id: {missing[0]}, label: ...}}` under `{kind}:` "
                      "(the rules use these ids)")
    c.raise_if_any()
    return m.Vocabulary(kinds)


def _term(c: Collector, item: Any, kind: str, extra: set[str]) -> m.Term | None:
    what = f"vocabulary entry of {kind}"
    if not c.keys(item, {"id": True, "label": True, **{k: False for k in extra}}, what):
        return None
    ident = c.ident(item, "id", what)
    words = {k: c.text(item, k, f"{kind} {ident!r}") for k in extra
             if k not in ("number", "subcategories")}
    number = item.get("number", 0)
    if type(number) is not int:
        c.add(item.key_lines.get("number"), f"{kind} {ident!r}: number must be a whole number",
              "write e.g. `number: 2`")
        number = 0
    if "form" in extra and words.get("form") and words["form"] not in m.FORMS:
        c.add(item.key_lines.get("form"), f"{kind} {ident!r}: form {words['form']!r} is not one "
              f"of {', '.join(m.FORMS)}", suggest(words["form"], m.FORMS) or "choose one of them")
    return m.Term(ident, c.text(item, "label", f"{kind} {ident!r}", required=True),
                  number=number, **words)


def _add_term(c: Collector, terms: dict[str, m.Term], term: m.Term, kind: str,
              line: int | None) -> None:
    known = m.VOCABULARY_IDS[kind]
    if term.id in terms:
        c.add(line, f"vocabulary: {kind} names {term.id!r} twice", "keep one of them")
    elif term.id not in known:
        c.add(line, f"vocabulary: {kind} has an unknown id {term.id!r}",
              suggest(term.id, known) or f"the ids the rules know: {', '.join(known)}")
    terms[term.id] = term


def load_youth_words(path: Path) -> tuple[str, ...]:
    c = Collector(path)
    data = load_yaml(path, "word list")
    words: tuple[str, ...] = ()
    definitions: dict[str, tuple[str, ...]] = {}
    tip_off: tuple[str, ...] = ()
    if c.keys(data, {"source": True, "words": True, "labels": False, "definitions": False,
                     "tip_off": False}, "word list"):
        c.source(data, "word list")
        # `words`: the legal labels (DOMAIN.md section 10); `labels`: what a youth reading the
        # screen would take as being about them. Both are held to the same rule.
        words = tuple(dict.fromkeys(
            str(w).strip().lower() for key in ("words", "labels")
            for w in c.items(data, key, "word list") if str(w).strip()))
        definitions = _definitions(c, data, words)
        tip_off = tuple(str(w).strip().lower() for w in c.items(data, "tip_off", "word list")
                        if str(w).strip())
    c.raise_if_any()
    return WordList(words, definitions, tip_off)


def _definitions(c: Collector, data, words: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """`definitions:` (words.WordList): in English a list of terms of the list, in another
    language a mapping of each English term to the words of the list that say it."""
    raw = data.get("definitions")
    if raw is None:
        return {}
    line = data.key_lines.get("definitions")
    if isinstance(raw, list):
        raw = {w: [w] for w in raw}
    if not isinstance(raw, dict) or not all(
            isinstance(v, list) and v and all(isinstance(w, str) for w in v) for v in raw.values()):
        c.add(line, "word list: definitions must be a list of terms (or, in a translation's "
              "list, a mapping of each English term to its words)",
              "write `definitions: [CSEC, trafficking]`, or `trafficking: [trata]` lines")
        return {}
    out = {str(k).strip().lower(): tuple(w.strip().lower() for w in v) for k, v in raw.items()}
    for said in out.values():
        for w in said:
            if w not in words:
                c.add(line, f"word list: definitions name {w!r}, which is not in its words or "
                      "labels", "list it under `words:` too, or remove it")
    return out


def load_script(path: Path, words: tuple[str, ...] = ()) -> m.Script:
    """A script read to a youth: every required point covered, no labelling word used."""
    c = Collector(path)
    data = load_yaml(path, "script")
    keys = {"id": True, "title": True, "source": True, "guidance": False, "parts": True,
            "draft": False}
    parts: list[m.ScriptPart] = []
    sid = title = source = guidance = ""
    draft = False
    if c.keys(data, keys, "script"):
        sid = c.ident(data, "id", "script")
        title = c.text(data, "title", "script", required=True)
        source = c.source(data, "script")
        guidance = c.text(data, "guidance", "script")
        raw_parts = data.get("parts") or []
        if not isinstance(raw_parts, list):
            c.add(data.key_lines.get("parts"), "script: parts must be a list",
                  "write `parts:` as a list of {covers, text, source}")
            raw_parts = []
        for part in raw_parts:
            if not c.keys(part, {"covers": True, "text": True, "source": True}, "script part"):
                continue
            covers = part.get("covers")
            if covers not in m.SCRIPT_PARTS + m.OPTIONAL_SCRIPT_PARTS:
                c.add(line_of(part), f"script part covers {covers!r}, which is not a point of "
                      "the script", f"use one of {', '.join(m.SCRIPT_PARTS + m.OPTIONAL_SCRIPT_PARTS)}")
            text = c.text(part, "text", "script part")
            found = labelling_words(text, words)
            if found:
                c.add(part.key_lines.get("text", line_of(part)),
                      f"script {sid!r}, part {covers!r} uses "
                      f"{', '.join(repr(w) for w in found)}, which must not be said to a youth "
                      "(DOMAIN.md section 10)", "say what happened in plain words")
            parts.append(m.ScriptPart(str(covers), text, c.source(part, "script part")))
        missing = [p for p in m.SCRIPT_PARTS if p not in {x.covers for x in parts}]
        if sid == "confidentiality" and missing:
            c.add(line_of(data), f"the confidentiality script does not cover: {', '.join(missing)}",
                  f"add a part for each (DOMAIN.md section 8: {', '.join(m.SCRIPT_PARTS)}; a "
                  "county may add prohibited_uses, drafted with county counsel)")
        draft = data.get("draft", False)
        if not isinstance(draft, bool):
            c.add(data.key_lines.get("draft"), f"script: draft must be true or false, not {draft!r}",
                  "write `draft: true` for a script county counsel has not approved")
            draft = False
    c.raise_if_any()
    return m.Script(sid, title, source, guidance, tuple(parts), path, draft)


# The MDT response times a county's MOU sets (m.County): "N hours" or "N days".
RESPONSE_TIMES = ("immediate_crisis_within", "crisis_support_through", "initial_mdt_within")
RESPONSE_TIME_RE = re.compile(r"^(1 (hour|day)|([2-9]|[1-9][0-9]{1,2}) (hours|days))$")


def _response_time(c: Collector, data: dict, key: str) -> str:
    value = str(data.get(key)).strip()
    if not RESPONSE_TIME_RE.match(value):
        c.add(data.key_lines.get(key), f"{key}: {value!r} is not a time such as \"2 hours\" or "
              "\"10 days\"", f"write the time your county's MOU sets, e.g. `{key}: "
              f"{getattr(m.County, key)}`")
    return value


def load_county(path: Path) -> m.County:
    c = Collector(path)
    data = load_yaml(path, "county configuration")
    keys = {"id": True, "name": True, "hotline_name": True, "hotline_phone": True,
            "specialized_court": True, "advocacy_provider": True, "csec_unit": True,
            "source": True, "confidentiality_script": False, "templates": False, "note": False,
            "translations": False, "in_language": False,
            "csec_coordinator": False, "ongoing_mdt_members": False,
            "ongoing_mdt_for_at_risk": False, "labor_advocacy_provider": False,
            **dict.fromkeys(RESPONSE_TIMES, False)}
    county = None
    if c.keys(data, keys, "county configuration"):
        def beside(key: str, what: str, fix: str, is_dir: bool = True) -> Path | None:
            """A file or folder the county file names, relative to itself (None when unset)."""
            name = data.get(key)
            if not name:
                return None
            found = (path.parent / str(name)).resolve()
            if not found.is_relative_to(path.parent.resolve()):  # `..`, `/`, a link out
                c.add(data.key_lines.get(key), f"{key}: {name!r} is outside the county "
                      f"file's folder (a county's {what} stays beside it)", "keep it in the "
                      "county file's folder or a folder inside it (a path relative to "
                      f"{path.name}, without `..`), and copy what it needs there rather than "
                      "linking to it")
                return None
            if not (found.is_dir() if is_dir else found.is_file()):
                c.add(data.key_lines.get(key), f"{what} {name!r} not found", fix)
            return found

        script_path = beside("confidentiality_script", "confidentiality script",
                             "give a path relative to this county file", is_dir=False)
        templates_path = beside("templates", "templates folder", "give a folder relative to "
                                "this county file; its files replace the shipped templates of "
                                "the same name")
        translations_path = beside("translations", "translations folder", "give a folder "
                                   "relative to this county file, laid out like flows/lang/ "
                                   "(e.g. es/youth.yaml); its files replace the shipped "
                                   "translations")
        county = m.County(
            id=c.text(data, "id", "county"), name=c.text(data, "name", "county"),
            hotline_name=c.text(data, "hotline_name", "county"),
            hotline_phone=str(data.get("hotline_phone") or "").strip(),
            specialized_court=c.text(data, "specialized_court", "county"),
            advocacy_provider=c.text(data, "advocacy_provider", "county"),
            csec_unit=c.text(data, "csec_unit", "county"),
            source=str(data.get("source") or ""), confidentiality_script=script_path,
            templates=templates_path, path=path, translations=translations_path,
            in_language=_county_names(c, data),
            **{key: c.text(data, key, "county") for key in (
                "csec_coordinator", "ongoing_mdt_members", "labor_advocacy_provider")
               if data.get(key) is not None},
            **({"ongoing_mdt_for_at_risk": _county_flag(c, data, "ongoing_mdt_for_at_risk")}
               if data.get("ongoing_mdt_for_at_risk") is not None else {}),
            **{key: _response_time(c, data, key) for key in RESPONSE_TIMES
               if data.get(key) is not None})
    c.raise_if_any()
    assert county is not None
    return county


def _county_names(c: Collector, data: dict) -> tuple:
    """`in_language`: for each language, the placeholders said in it (names only, as text)."""
    given = data.get("in_language")
    if given is None:
        return ()
    line = data.key_lines.get("in_language")
    known = set(m.County("", "", "", "", "", "", "", "").placeholders())
    fix = ("write `in_language: {es: {county_name: su condado}}`: a language code, then "
           f"placeholders among {', '.join(sorted(known))}, each with its text")
    if not isinstance(given, dict):
        c.add(line, "county: in_language must be a mapping of language to names", fix)
        return ()
    out = []
    for lang, names in given.items():
        if not (isinstance(lang, str) and m.LANGUAGE_CODE.match(lang)) \
                or not isinstance(names, dict):
            c.add(line, f"county: in_language: {str(lang)[:20]!r} is not a language code with "
                  "a mapping of names", fix)
            continue
        kept = []
        for key, value in names.items():
            if key not in known or not isinstance(value, str) or not value.strip() \
                    or any(ord(ch) < 32 for ch in value):
                c.add(line, f"county: in_language.{lang}.{str(key)[:40]} is not a placeholder "
                      "with one line of text", fix)
                continue
            kept.append((key, value.strip()))
        out.append((lang, tuple(kept)))
    return tuple(out)


def _county_flag(c: Collector, data: dict, key: str) -> bool:
    value = data.get(key)
    if not isinstance(value, bool):
        c.add(data.key_lines.get(key), f"county: {key} must be true or false, not {value!r}",
              "write true or false")
        return False
    return value


# --- flows ---------------------------------------------------------------------------------

class Refs:
    """What a flow may point at (the catalogs' ids and the scripts), and the files already read,
    so a flow or part included by several flows is read and built once per load."""

    def __init__(self, red_flags, scripts, youth_words=()):
        # None: the red flags catalog could not be read. Its problems say so; the flows' red
        # flag ids are then not checked (every one would be "unknown": one mistake in the
        # catalog made hundreds of messages).
        self.checks_red_flags = red_flags is not None
        self.red_flags = red_flags or {}
        self.scripts = scripts
        self.youth_words = youth_words
        self.parsed: dict[Path, Any] = {}
        self.built: dict[Path, tuple] = {}
        self.derived: dict[str, Any] = {}  # what the checks make of the catalogs, once a load

    def parse(self, path: Path) -> Any:
        key = path.resolve()
        if key not in self.parsed:
            try:
                self.parsed[key] = load_yaml(path, "flow file")
            except ContentError as exc:
                self.parsed[key] = exc
        found = self.parsed[key]
        if isinstance(found, ContentError):
            raise found
        return found


def _indicates(c: Collector, data: Any, what: str, refs: Refs) -> m.Indicates:
    if data is None:
        return m.NOTHING
    if not c.keys(data, set(INDICATES_KEYS), what):
        return m.NOTHING
    lists: dict[str, tuple[str, ...]] = {}
    valid: dict[str, Callable[[str], bool]] = {
        "red_flags": lambda v: isinstance(v, str) and (
            v in refs.red_flags or not refs.checks_red_flags),
        "at_risk": lambda v: v in m.AT_RISK_LETTERS,
        "disclosures": lambda v: v in m.DISCLOSURE_KINDS,
        "suspected": lambda v: v in m.FORMS,
    }
    choices = {"red_flags": refs.red_flags, "at_risk": m.AT_RISK_LETTERS,
               "disclosures": m.DISCLOSURE_KINDS, "suspected": m.FORMS}
    for key in INDICATES_KEYS:
        values = data.get(key) or []
        line = data.key_lines.get(key, line_of(data))
        if not isinstance(values, list):
            c.add(line, f"{what}: {key} must be a list", f"write `{key}: [ ... ]`")
            continue
        entry_lines = getattr(values, "item_lines", [])
        for i, v in enumerate(values):
            if not valid[key](v):
                hint = suggest(v, choices[key])
                fallback = {"red_flags": "see flows/catalog/red-flags.yaml",
                            "suspected": f"use one of {', '.join(m.FORMS)}"}.get(
                                key, "see docs/flow-format.md")
                c.add(entry_lines[i] if i < len(entry_lines) else line,
                      f"{what}: unknown {key.replace('_', ' ')} entry {v!r}", hint or fallback)
        lists[key] = tuple(str(v) for v in values)
    return m.Indicates(**lists)


def _fact_fix(name: str) -> str:
    """Where a case fact can be recorded from an answer, for messages."""
    if name in m.YES_NO_FACTS:
        return f"record {name} with `fact: {name}` on a closed step, or `sets:` on a cue"
    if name in m.CHOICE_FACTS:
        return f"record {name} with `sets: {{{name}: ...}}` on the cues of a step"
    if name in m.TYPED_FACTS:
        return f"record {name} with `fact: {name}` on an open step (the notes are its value)"
    return f"{name} is recorded in the case facts form, not by an answer"


def _sets(c: Collector, data: Any, what: str) -> tuple[tuple[str, Any], ...]:
    """A cue's `sets:`: the case facts ticking it records, each value checked."""
    if data is None:
        return ()
    if not isinstance(data, dict):
        c.add(line_of(data), f"{what}: sets must be a mapping of case facts to values",
              "write it as `sets: {case_status: in_foster_care}`")
        return ()
    out: list[tuple[str, Any]] = []
    for key, value in data.items():
        line = data.key_lines.get(key, line_of(data))
        if key not in m.FACT_TYPES:
            c.add(line, f"{what}: sets an unknown case fact {key!r}",
                  suggest(key, m.FACT_TYPES) or f"use one of {', '.join(m.YES_NO_FACTS + m.CHOICE_FACTS)}")
            continue
        if key not in m.YES_NO_FACTS + m.CHOICE_FACTS:
            c.add(line, f"{what}: {key} is not a yes/no or choice fact, so ticking a cue cannot "
                  "record it", _fact_fix(key))
            continue
        if key in m.YES_NO_FACTS:
            if not isinstance(value, bool):
                c.add(line, f"{what}: {key} must be true or false, not {value!r}",
                      f"write `{key}: true` or `{key}: false`")
                continue
        else:
            choices = m.fact_choices(key)
            values = list(value) if isinstance(value, list) else [value]
            bad = [v for v in values if v not in choices]
            if bad or (isinstance(value, list) and not m.is_list_fact(key)) or not values:
                shown = bad[0] if bad else value
                c.add(line, f"{what}: {shown!r} is not a value of {key}",
                      suggest(shown, choices) or f"use one of {', '.join(choices)}")
                continue
            value = tuple(values) if m.is_list_fact(key) else values[0]
        out.append((str(key), value))
    return tuple(out)


def _cues(c: Collector, data: Any, step_id: str, refs: Refs) -> tuple[m.Cue, ...]:
    if data is None:
        return ()
    if not isinstance(data, list):
        c.add(line_of(data), f"step {step_id!r}: cues must be a list")
        return ()
    cues: list[m.Cue] = []
    seen: set[str] = set()
    for item in data:
        if not c.keys(item, {"id": True, "label": True, "indicates": False, "sets": False,
                             "context": False}, f"cue of {step_id!r}"):
            continue
        cid = c.ident(item, "id", f"cue of {step_id!r}")
        if cid in seen:
            c.add(line_of(item), f"step {step_id!r}: duplicate cue id {cid!r}",
                  "give each cue of a step its own id")
        seen.add(cid)
        cues.append(m.Cue(cid, c.text(item, "label", f"cue {cid!r}", required=True),
                          _indicates(c, item.get("indicates"), f"cue {step_id}.{cid}", refs),
                          _sets(c, item.get("sets"), f"cue {step_id}.{cid}"),
                          c.text(item, "context", f"cue {cid!r}")))
    if len(cues) > MAX_CUES:
        c.add(line_of(data), f"step {step_id!r} has {len(cues)} cues; the screen ticks at most "
              f"{MAX_CUES}, with the keys 1 to 9 and 0", "split the step, or merge cues that mean the same")
    return tuple(cues)


def _fact(c: Collector, data: dict, kind: str, what: str) -> str:
    """A step's `fact:`: a yes/no fact on a closed step, a typed-in fact on an open one."""
    fact = data.get("fact")
    if fact is None:
        return ""
    line = data.key_lines.get("fact", line_of(data))
    if not isinstance(fact, str) or fact not in m.FACT_TYPES:
        c.add(line, f"{what}: unknown case fact {fact!r}",
              suggest(fact, m.FACT_TYPES) or f"use one of {', '.join(m.YES_NO_FACTS + m.TYPED_FACTS)}")
        return ""
    fits = m.YES_NO_FACTS if kind == "closed" else m.TYPED_FACTS
    if fact not in fits:
        what_kind = "yes/no" if kind == "closed" else "typed-in"
        c.add(line, f"{what}: {fact} is not a {what_kind} fact, so {article(kind)} step cannot "
              "record it", _fact_fix(fact))
        return ""
    return fact


def article(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


def _step(c: Collector, data: Any, section: str, index: int, refs: Refs) -> m.Step | None:
    if not isinstance(data, dict):
        c.add(line_of(data), f"a step in section {section!r} must be a mapping")
        return None
    kind = data.get("kind")
    if kind not in m.KINDS:
        c.add(data.key_lines.get("kind", line_of(data)),
              f"step {data.get('id')!r}: kind {kind!r} is not one of {', '.join(m.KINDS)}",
              suggest(kind, m.KINDS) or "set `kind:`")
        return None
    sid = c.ident(data, "id", f"step in section {section!r}")
    what = f"step {sid!r}"
    c.keys(data, COMMON_STEP_KEYS | STEP_KEYS[kind], f"{what} ({kind})",
           required={"id"})  # audience and source get messages of their own below
    audience = data.get("audience")
    if audience not in m.AUDIENCES:
        c.add(data.key_lines.get("audience", line_of(data)),
              f"{what}: audience {audience!r} is not one of {', '.join(m.AUDIENCES)}",
              suggest(audience, m.AUDIENCES) or "set `audience:`")
    source = c.source(data, what)
    script = data.get("script") or ""
    if kind == "script" and script:
        if not isinstance(script, str) or script not in refs.scripts:
            c.add(data.key_lines.get("script"), f"{what}: script {script!r} not found",
                  f"known scripts: {', '.join(sorted(refs.scripts)) or 'none'}")
        if "text" in data:
            c.add(data.key_lines.get("text"), f"{what}: has both `text` and `script`",
                  "keep one")
    text = c.text(data, "text", what, required=not script)
    for name in PLACEHOLDER_RE.findall(text):
        if name not in m.PLACEHOLDERS:
            c.add(data.key_lines.get("text"), f"{what}: unknown placeholder {{{name}}} in text",
                  f"use one of {', '.join('{' + p + '}' for p in m.PLACEHOLDERS)}")
    branch: list[tuple[str, str]] = []
    raw_branch = data.get("branch")
    if isinstance(raw_branch, YMap):  # YAML 1.1 reads a bare yes/no key as a boolean
        fixed = YMap({({True: "yes", False: "no"}.get(k, k) if isinstance(k, bool) else k): v
                      for k, v in raw_branch.items()})
        fixed.line, fixed.key_lines = raw_branch.line, raw_branch.key_lines
        raw_branch = fixed
    if raw_branch is not None:
        if c.keys(raw_branch, set(m.ANSWERS), f"branch of {sid!r}"):
            branch = [(str(k), str(v)) for k, v in raw_branch.items()]
    items: list[m.ObservationItem] = []
    raw_items = data.get("items") or []
    if not isinstance(raw_items, list):
        c.add(data.key_lines.get("items"), f"{what}: items must be a list",
              "write `items:` as a list")
        raw_items = []
    for item in raw_items:
        if not c.keys(item, {"red_flag": True, "hint": False, "indicates": False},
                      f"observation item of {sid!r}"):
            continue
        rf = item.get("red_flag")
        if not isinstance(rf, str) or (rf not in refs.red_flags and refs.checks_red_flags):
            c.add(line_of(item), f"{what}: unknown red flag {rf!r}",
                  suggest(rf, refs.red_flags) or "see flows/catalog/red-flags.yaml")
        items.append(m.ObservationItem(str(rf), str(item.get("hint") or ""),
                                       _indicates(c, item.get("indicates"), f"{sid}.{rf}", refs)))
    if kind == "observation" and not items:
        c.add(line_of(data), f"{what}: an observation step needs `items`",
              "list the red flags the worker can see")
    raw_fields = data.get("fields") or []
    if not isinstance(raw_fields, list):
        c.add(data.key_lines.get("fields"), f"{what}: fields must be a list",
              "write `fields:` as a list")
        raw_fields = []
    fields = tuple(str(f) for f in raw_fields)
    field_lines = getattr(raw_fields, "item_lines", [])
    for i, f in enumerate(fields):
        if f not in m.CONTEXT_FIELDS:
            c.add(field_lines[i] if i < len(field_lines) else data.key_lines.get("fields"),
                  f"{what}: unknown case fact {f!r}",
                  suggest(f, m.CONTEXT_FIELDS) or f"use some of {', '.join(m.CONTEXT_FIELDS)}")
    return m.Step(
        id=sid, kind=kind, audience=str(audience), section=section, index=index, text=text,
        source=source, guidance=c.text(data, "guidance", what),
        reference=c.text(data, "reference", what),
        cues=_cues(c, data.get("cues"), sid, refs),
        indicates_on_yes=_indicates(c, data.get("indicates_on_yes"), f"{sid}.indicates_on_yes", refs),
        indicates_on_no=_indicates(c, data.get("indicates_on_no"), f"{sid}.indicates_on_no", refs),
        follow_up=c.text(data, "follow_up", what), branch=tuple(branch),
        variant_of=str(data.get("variant_of") or ""), items=tuple(items), fields=fields,
        script=str(script), risk_factor=c.text(data, "risk_factor", what),
        fact=_fact(c, data, kind, what) if kind in ("open", "closed") else "",
        line=line_of(data), file=c.path,
    )


# --- sections, with includes ----------------------------------------------------------------

class Built:
    """One file's sections and steps with its includes resolved, and what its header says."""

    def __init__(self, header: dict, sections: list[m.Section], steps: list[m.Step],
                 problems: list[Problem]):
        self.header, self.sections, self.steps, self.problems = header, sections, steps, problems


def _where(step: m.Step) -> str:
    """How a problem names where a step was written."""
    if step.include_line:
        return f"{Path(step.origin).name}, line {step.line}, included on line {step.include_line}"
    return f"line {step.line}"


def _header(c: Collector, data: Any) -> dict:
    """Check a flow's or part's top-level keys; what they say, for the Flow."""
    is_part = isinstance(data, dict) and "part" in data and "id" not in data
    if not c.keys(data, PART_KEYS if is_part else FLOW_KEYS, "part" if is_part else "flow"):
        return {}
    what = "part" if is_part else "flow"
    header = {
        "part": is_part,
        "id": c.ident(data, "part" if is_part else "id", what, FLOW_ID_RE),
        "title": c.text(data, "title", what),
        "source": c.source(data, what),
        "description": c.text(data, "description", what),
        "gate": str(data.get("gate") or ""),
        "setting": str(data.get("setting") or "interview"),
        "after_absence": str(data.get("after_absence") or ""),
    }
    lines = getattr(data, "key_lines", {})
    if header["setting"] not in m.SETTINGS:
        c.add(lines.get("setting"), f"flow: setting {header['setting']!r} is not one of "
              f"{', '.join(m.SETTINGS)}", suggest(header["setting"], m.SETTINGS)
              or "interview (a worker with a youth or caregiver) or hotline (a reporter)")
    if header["after_absence"] and not FLOW_ID_RE.match(header["after_absence"]):
        c.add(lines.get("after_absence"), f"flow: after_absence {header['after_absence']!r} is "
              "not a flow id", "name the flow to offer on a return from an absence")
    return header


def file_sections(path: Path, refs: Refs, stack: tuple[Path, ...] = ()) -> Built:
    """The sections of a flow or part file with its includes resolved (built once per load).

    Problems in the file itself are reported on its own lines; problems with an include on the
    include's line.
    """
    key = path.resolve()
    if key in refs.built:
        return refs.built[key]
    c = Collector(path)
    try:
        data = refs.parse(path)
    except ContentError as exc:
        built = Built({}, [], [], list(exc.problems))
        refs.built[key] = built
        return built
    header = _header(c, data)
    sections: list[m.Section] = []
    steps: list[m.Step] = []
    if header:
        sections, steps = _sections(path, data, refs, c, stack + (key,))
    built = Built(header, sections, steps, c.problems)
    refs.built[key] = built
    return built


def _sections(path: Path, data: dict, refs: Refs, c: Collector,
              stack: tuple[Path, ...]) -> tuple[list[m.Section], list[m.Step]]:
    sections: list[m.Section] = []
    steps: list[m.Step] = []
    seen_steps: dict[str, str] = {}     # id -> where it first is, for messages
    seen_sections: dict[str, str] = {}
    raw_sections = data.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        c.add(line_of(data), f"{'part' if 'part' in data else 'flow'} has no sections",
              "add `sections:` with at least one section")
        raw_sections = []
    for raw in raw_sections:
        if isinstance(raw, dict) and "include" in raw:
            line = line_of(raw)
            for section, section_steps in _include(path, raw, refs, c, stack):
                name = f"include {raw.get('include')!r}"
                if section.id in seen_sections:
                    c.add(line, f"{name} brings section {section.id!r}, which this flow already "
                          f"has ({seen_sections[section.id]})",
                          "include fewer sections, or give the sections different ids")
                    continue
                seen_sections[section.id] = f"included on line {line}"
                kept = []
                for step in section_steps:
                    if step.id in seen_steps:
                        c.add(line, f"{name} brings step {step.id!r}, which this flow already "
                              f"has ({seen_steps[step.id]})",
                              "include fewer sections, or give each step its own id")
                        continue
                    if step.id in seen_sections:
                        c.add(line, f"{name} brings step {step.id!r}, which is also a section "
                              "id of this flow", "rename one of them: branch targets must be "
                              "unambiguous")
                    step = replace(step, origin=step.origin or str(include_target(path, raw["include"])),
                                   include_line=line, index=len(steps))
                    seen_steps[step.id] = _where(step)
                    steps.append(step)
                    kept.append(step.id)
                sections.append(replace(section, steps=tuple(kept), include_line=line,
                                        origin=section.origin or str(include_target(path, raw["include"]))))
            continue
        if not c.keys(raw, SECTION_KEYS, "section"):
            continue
        sec_id = c.ident(raw, "id", "section")
        if sec_id in seen_sections:
            c.add(line_of(raw), f"duplicate section id {sec_id!r} (first "
                  f"{seen_sections[sec_id].replace('line ', 'on line ', 1)})",
                  "give each section its own id")
        seen_sections[sec_id] = f"line {line_of(raw)}"
        ids: list[str] = []
        raw_steps = raw.get("steps")
        if not isinstance(raw_steps, list) or not raw_steps:
            c.add(line_of(raw), f"section {sec_id!r} has no steps", "add at least one step")
            raw_steps = []
        for raw_step in raw_steps:
            step = _step(c, raw_step, sec_id, len(steps), refs)
            if step is None:
                continue
            if step.id in seen_steps:
                first = seen_steps[step.id]
                c.add(step.line, f"duplicate step id {step.id!r} (first "
                      + (f"on {first})" if first.startswith("line ") else f"in {first})"),
                      "give each step its own id")
                continue
            if step.id in seen_sections or step.id == sec_id:
                c.add(step.line, f"step id {step.id!r} is also a section id",
                      "rename one of them: branch targets must be unambiguous")
            seen_steps[step.id] = f"line {step.line}"
            steps.append(step)
            ids.append(step.id)
        out_of_view = raw.get("out_of_view", False)
        if not isinstance(out_of_view, bool):
            line = getattr(raw, "key_lines", {}).get("out_of_view", line_of(raw))
            c.add(line, f"section {sec_id!r}: out_of_view {out_of_view!r} is not true or false",
                  "write out_of_view: true")
            out_of_view = False
        sections.append(m.Section(sec_id, c.text(raw, "title", f"section {sec_id!r}"), tuple(ids),
                                  c.text(raw, "guidance", f"section {sec_id!r}"),
                                  reference=c.text(raw, "reference", f"section {sec_id!r}"),
                                  out_of_view=out_of_view))
    return sections, steps


def include_target(path: Path, name: str) -> Path:
    """The file an `include:` names: beside the including file, or else in the shipped flows
    (so a flow copied out of `flows/` to be adapted still finds `youth.yaml` and its parts)."""
    from interview.paths import flows_dir

    beside = path.parent / name
    if beside.is_file():
        return beside
    shipped = flows_dir() / name
    return shipped if shipped.is_file() else beside


def _include(path: Path, raw: dict, refs: Refs, c: Collector,
             stack: tuple[Path, ...]) -> list[tuple[m.Section, list[m.Step]]]:
    """The sections an `include:` entry brings, or none (and a problem on its line)."""
    line = line_of(raw)
    if not c.keys(raw, INCLUDE_KEYS, "include") or set(raw) - set(INCLUDE_KEYS):
        return []  # a misspelt key: include nothing rather than guess what was meant
    name = raw.get("include")
    if not isinstance(name, str) or not name.strip():
        c.add(raw.key_lines.get("include", line), f"include {name!r} must name a file",
              "write `include: youth.yaml` or `include: parts/labor-criminal.yaml`")
        return []
    target = include_target(path, name)
    if not target.is_file():
        nearby = [str(p.relative_to(path.parent)) for p in
                  sorted(path.parent.glob("*.yaml")) + sorted(path.parent.glob("*/*.yaml"))]
        c.add(line, f"include {name!r}: file not found beside {path.name} nor in the shipped "
              "flows", suggest(name, nearby) or f"give the path relative to {path.name}'s "
              "folder, e.g. `parts/labor-criminal.yaml`, or copy the file beside it")
        return []
    if target.resolve() in stack:
        chain = [p.name for p in stack[stack.index(target.resolve()):]] + [target.name]
        c.add(line, f"include {name!r} makes a cycle: {' -> '.join(chain)}",
              "remove one of these includes: a flow cannot include itself")
        return []
    try:
        data = refs.parse(target)
    except ContentError as exc:
        c.problems.extend(exc.problems)
        return []
    if not isinstance(data, dict) or "sections" not in data:
        c.add(line, f"include {name!r} is not a flow or a part (it has no `sections:`)",
              "include a flow file, or a part in flows/parts/")
        return []
    built = file_sections(target, refs, stack)
    c.problems.extend(built.problems)
    by_id = {s.id: s for s in built.sections}
    steps_by_id = {s.id: s for s in built.steps}
    wanted = raw.get("sections")
    if wanted is None:
        chosen = list(built.sections)
    elif not isinstance(wanted, list) or not wanted:
        c.add(raw.key_lines.get("sections", line), f"include {name!r}: sections must be a list "
              "of section ids", "write `sections: [facts, basic_needs]`, or leave it out for all")
        return []
    else:
        chosen = []
        for i, sec_id in enumerate(wanted):
            if not is_one_of(sec_id, by_id):
                c.add(item_line(wanted, i, line),
                      f"include {name!r} has no section {sec_id!r}",
                      suggest(sec_id, by_id) or f"its sections: {', '.join(by_id)}")
                continue
            chosen.append(by_id[sec_id])
    return [(s, [steps_by_id[sid] for sid in s.steps if sid in steps_by_id]) for s in chosen]


def build_flow(path: Path, data: Any, refs: Refs, c: Collector) -> m.Flow | None:
    """Build a flow from parsed YAML (its includes resolved), adding every problem to `c`."""
    if not isinstance(data, dict):
        c.keys(data, FLOW_KEYS, "flow")
        return None
    if "part" in data and "id" not in data:
        c.add(line_of(data), "this is a part, not a flow: flows include it",
              "include it from a flow with `- include: parts/NAME.yaml`")
        return None
    built = file_sections(path, refs)
    c.problems.extend(built.problems)
    if not built.header:
        return None
    h = built.header
    return m.Flow(
        id=h["id"], title=h["title"], source=h["source"], sections=tuple(built.sections),
        steps=tuple(built.steps), gate=h["gate"], description=h["description"],
        setting=h["setting"], after_absence=h["after_absence"], path=path,
        key_lines=dict(getattr(data, "key_lines", {})),
    )


def load_flow(path: Path, refs: Refs) -> tuple[m.Flow | None, list[Problem]]:
    """Load one flow file; returns the flow (if it could be built) and all its problems."""
    from interview.content.validate import check_flow

    c = Collector(path)
    try:
        data = refs.parse(path)
    except ContentError as exc:
        return None, exc.problems
    flow = build_flow(path, data, refs, c)
    # A flow that includes a file that could not be read lacks its steps: the checks of the
    # whole flow (the gate, reachability, branches) would report what is only missing.
    unread = {k for k, v in refs.parsed.items() if isinstance(v, ContentError)}
    if flow is not None and not any(Path(p.path).resolve() in unread for p in c.problems):
        c.problems.extend(check_flow(flow, refs, str(path), getattr(data, "key_lines", {})))
    return flow, list(dict.fromkeys(c.problems))


def load_part(path: Path, refs: Refs) -> list[Problem]:
    """Check a part on its own (its sections and steps; each flow that includes it checks the
    rest: reachability, branches, the gate, words on the screen)."""
    try:
        data = refs.parse(path)
    except ContentError as exc:
        return list(exc.problems)
    if not isinstance(data, dict) or "part" not in data:
        return [Problem(str(path), line_of(data) or None, "a part needs `part: NAME`",
                        "add `part:` with the part's name, or give a flow an `id:`")]
    return list(dict.fromkeys(file_sections(path, refs).problems))


def guarded(problems: list[Problem], loader, *args):
    """`loader(*args)`, or None with its problems added to `problems`."""
    try:
        return loader(*args)
    except ContentError as exc:
        problems.extend(exc.problems)
        return None


def county_path(root: Path, county: str | None) -> Path:
    if county and (county.endswith((".yaml", ".yml")) or "/" in county):
        return Path(county)
    return root / "counties" / f"{county or 'default'}.yaml"


def load_library(root: Path | None = None, county: str | None = None,
                 extra_flows: list[Path] | None = None) -> tuple[m.Library | None, list[Problem]]:
    """Load catalogs, scripts, the county and every flow; return the library and all problems."""
    root = root or flows_dir()
    problems: list[Problem] = []
    red_flags = guarded(problems, load_red_flags, root / "catalog" / "red-flags.yaml")
    at_risk = guarded(problems, load_at_risk, root / "catalog" / "at-risk.yaml") or {}
    next_steps = guarded(problems, load_next_steps, root / "catalog" / "next-steps.yaml") or {}
    words = guarded(problems, load_youth_words, root / "catalog" / "youth-words.yaml") or ()
    vocabulary = guarded(problems, load_vocabulary, root / "catalog" / "vocabulary.yaml")
    for indicator in at_risk.values():  # the catalogs point at each other: check both ways
        for rf in indicator.prompted_by:
            if red_flags and rf not in red_flags:
                problems.append(Problem(str(root / "catalog" / "at-risk.yaml"), None,
                                        f"indicator {indicator.id}: prompted_by names an unknown "
                                        f"red flag {rf!r}", suggest(rf, red_flags) or
                                        "see flows/catalog/red-flags.yaml"))
    problems += _crosscheck(root, red_flags or {}, at_risk, next_steps)
    where = county_path(root, county)
    if not where.is_file():
        known = ", ".join(sorted(p.stem for p in (root / "counties").glob("*.yaml")))
        problems.append(Problem(str(where), None, f"county {county!r} not found",
                                f"use one of {known}, or the path of a county YAML file"))
        return None, problems
    the_county = guarded(problems, load_county, where)
    if the_county is not None:  # the county's own response times, in every reader's deadline
        next_steps = {sid: replace(spec, deadline=m.fill_placeholders(spec.deadline, the_county),
                                   title=m.fill_placeholders(spec.title, the_county))
                      for sid, spec in next_steps.items()}
        if vocabulary is not None:
            vocabulary = vocabulary.filled(the_county)
    scripts: dict[str, m.Script] = {}
    for path in sorted((root / "scripts").glob("*.yaml")):
        script = guarded(problems, load_script, path, words)
        if script:
            scripts[script.id] = script
    if the_county and the_county.confidentiality_script:
        script = guarded(problems, load_script, the_county.confidentiality_script, words)
        if script:
            scripts["confidentiality"] = script
    refs = Refs(red_flags, scripts, words)
    flows: dict[str, m.Flow] = {}
    paths = extra_flows if extra_flows is not None else sorted(root.glob("*.yaml"))
    for path in paths:
        flow, found = load_flow(path, refs)
        problems.extend(found)
        if flow is not None:
            if flow.id in flows:
                problems.append(Problem(str(path), None, f"flow id {flow.id!r} is already used "
                                        f"by {flows[flow.id].path}", "give each flow its own id"))
            flows[flow.id] = flow
    for path in sorted((root / "parts").glob("*.yaml")):  # checked even where nothing includes them
        problems.extend(load_part(path, refs))
    known = set(flows)
    if extra_flows is not None:  # a flow given alone may still name a shipped flow
        known |= {d.get("id") for d in (_peek(p) for p in root.glob("*.yaml")) if d}
    for flow in flows.values():
        if flow.after_absence and flow.after_absence not in known:
            problems.append(Problem(
                str(flow.path), flow.key_lines.get("after_absence"),
                f"after_absence {flow.after_absence!r} is not a flow",
                flows_hint(flow.after_absence, known)))
    translations = None
    if extra_flows is None and the_county is not None:  # (a flow given alone: its English only)
        from interview.content.translations import load_translations

        translations, found = load_translations(root, the_county, flows, scripts, words)
        problems.extend(found)
    problems = list(dict.fromkeys(problems))  # a file included by several flows: each once
    if problems or the_county is None:
        return None, problems
    return m.Library(flows, red_flags, at_risk, next_steps, scripts, the_county, words,
                     vocabulary, translations), problems


def _crosscheck(root: Path, red_flags, at_risk, next_steps) -> list[Problem]:
    """The rules' declarations against the catalogs (interview/content/crosscheck.py): a library
    whose rules could propose what its catalogs lack is not loaded at all."""
    from interview.content.crosscheck import crosscheck
    from interview.rules import declarations

    return crosscheck(declarations(), root / "catalog", red_flags, at_risk, next_steps)


def _peek(path: Path) -> dict | None:
    try:
        data = load_yaml(path)
    except ContentError:
        return None
    return data if isinstance(data, dict) else None
