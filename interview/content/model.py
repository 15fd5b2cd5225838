"""The content model: flows, steps, cues and the catalogs they point into.

Immutable dataclasses built once by the loader; the engine and rules only read them.
"""

from __future__ import annotations

import re

from dataclasses import field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from interview.lazy_dataclass import dataclass

if TYPE_CHECKING:  # (the translations module imports this one)
    from interview.content.translations import Translations

KINDS = ("script", "open", "closed", "observation", "facts")
AUDIENCES = ("youth", "caregiver", "reporter", "worker")
ANSWERS = ("yes", "no", "declined", "unsure")
COLUMNS = ("sex_trafficking", "labor", "criminal_activity")
AT_RISK_LETTERS = tuple("ABCDEFGH")
# A language code, as the translations' folders are named (flows/lang/<code>/): "en", "es".
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
DISCLOSURE_KINDS = (
    "commercial_sex_act", "sexual_advertising", "sexual_exploitation", "labor", "force", "fraud",
    "force_or_fraud", "coercion", "criminal_activity",
)
# The points the confidentiality script must cover (DOMAIN.md section 8), and those a county may
# add with county counsel: what the information may not be used for is the county's to state
# (002, MOU II.B.1.D and footnote 25); the default script does not promise it.
SCRIPT_PARTS = ("sharing", "must_report", "purpose", "results_access", "choices")
OPTIONAL_SCRIPT_PARTS = ("prohibited_uses",)
# Where a flow is used: an interview (a worker with a youth or caregiver) or a hotline intake (a
# screener with a reporter). The rules pick the next steps that fit the setting.
SETTINGS = ("interview", "hotline")
# The three forms a screener or worker may suspect (DOMAIN.md section 2).
FORMS = ("sex_trafficking", "labor_trafficking", "criminal_activity")
CONTEXT_FIELDS = (
    "date_of_birth", "interview_date", "case_status", "receiving_child_welfare_services",
    "missing", "absence", "foreign_national", "immediate_safety_concern", "case_id",
    "interviewer", "interviewee", "caregiver_failed_to_protect",
    "age", "agency", "perpetrator", "from_another_county", "other_allegations",
    "exploited_during", "exploited_from", "emergency_room_report", "screening_reasons",
)
CASE_STATUSES = (
    "no_open_case", "in_foster_care", "open_case_not_in_foster_care", "closed_case_receiving_ilp",
)
# The CSEC Types of the CSEC Data Grid (001), and "undetermined": a Victim type applies but the
# worker has not said when the child was exploited.
CSEC_TYPES = ("at_risk", "victim_before_foster_care", "victim_during_foster_care",
              "victim_open_case_not_in_foster_care", "victim_while_absent_from_placement",
              "victim_closed_case_receiving_ilp", "undetermined")
# The MDT response tiers (002 MOU IV), "none" when CSE is not suspected; and whose jurisdiction.
RESPONSE_TIERS = ("immediate_crisis", "initial_mdt", "none")
JURISDICTIONS = ("child_welfare", "probation", "unknown")
# The CWS/CMS abuse categories and subcategories the rules propose (001; 003).
ABUSE_CATEGORIES = ("exploitation", "general_neglect")
ABUSE_SUBCATEGORIES = ("commercial_sexual_exploitation", "exploiting_a_childs_labor",
                       "involving_a_child_in_criminal_activity",
                       "fail_unable_to_protect_from_cse")
# Which agency the youth is under (002, MOU IV.C: the hotline determines jurisdiction).
AGENCIES = ("child_welfare", "probation", "dual_child_welfare_lead", "dual_probation_lead",
            "no_agency")
PERPETRATORS = ("parent", "relative", "non_relative")
# When the child was exploited: the worker's determination, which decides the CSEC Type (001:
# Type 2 "BEFORE entering foster care", Type 3 "WHILE IN foster care", Type 4 "while in an open
# case but not in foster care", Type 5 "during absence from placement", Type 6 "in a closed case
# and receives ILP services"). The case status only proposes it.
EXPLOITED_DURING = ("before_foster_care", "in_foster_care", "open_case_not_in_foster_care",
                    "absent_from_placement", "closed_case_receiving_ilp")
# Why a child must be screened (002, MOU II.A.1.B, example: child welfare screens children 10 and
# older who are chronically on the run or live in a home where another child was identified as
# exploited; public health, chronic STIs or pregnancy; SB 794: every youth back from running away).
SCREENING_REASONS = ("chronically_on_the_run", "another_child_identified", "chronic_stis",
                     "pregnancy", "returned_from_runaway")
# Other maltreatment reported with the allegation (003 Investigative Areas; 000 Child Abuse
# Registry: "e.g., neglect, caretaker absence").
OTHER_ALLEGATIONS = ("sexual_abuse", "physical_abuse", "general_neglect", "emotional_abuse",
                     "severe_neglect", "caretaker_absence")
# What kind of value each case fact takes; the answers that record a fact (`fact:` on a step,
# `sets:` on a cue) are checked against this.
FACT_TYPES: dict[str, str | tuple[str, ...]] = {
    "date_of_birth": "date", "interview_date": "date", "case_status": CASE_STATUSES,
    "receiving_child_welfare_services": "bool", "missing": "bool", "absence": "absence",
    "foreign_national": "bool", "immediate_safety_concern": "bool", "case_id": "text",
    "interviewer": "text", "interviewee": "text", "caregiver_failed_to_protect": "bool",
    "age": "age", "agency": AGENCIES, "perpetrator": PERPETRATORS,
    "from_another_county": "bool", "other_allegations": ("list",) + OTHER_ALLEGATIONS,
    "exploited_during": EXPLOITED_DURING, "exploited_from": "date",
    "emergency_room_report": "bool", "screening_reasons": ("list",) + SCREENING_REASONS,
}
TYPED_FACTS = tuple(k for k, v in FACT_TYPES.items() if v in ("date", "text", "age"))
YES_NO_FACTS = tuple(k for k, v in FACT_TYPES.items() if v == "bool")
CHOICE_FACTS = tuple(k for k, v in FACT_TYPES.items() if isinstance(v, tuple))


def fact_choices(name: str) -> tuple[str, ...]:
    """The values a choice or list fact takes (empty for other facts)."""
    kind = FACT_TYPES.get(name)
    if not isinstance(kind, tuple):
        return ()
    return kind[1:] if kind[:1] == ("list",) else kind


def is_list_fact(name: str) -> bool:
    kind = FACT_TYPES.get(name)
    return isinstance(kind, tuple) and kind[:1] == ("list",)


@dataclass(frozen=True, slots=True)
class Indicates:
    """What an answer, cue or observation points to; the rules read only this."""

    red_flags: tuple[str, ...] = ()
    at_risk: tuple[str, ...] = ()
    disclosures: tuple[str, ...] = ()
    # A reasonable suspicion of one of the three forms (the screener's or worker's judgement,
    # or what a reporter relays), distinct from what the youth disclosed.
    suspected: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.red_flags or self.at_risk or self.disclosures or self.suspected)

    def as_json(self) -> dict:
        out = {"red_flags": list(self.red_flags), "at_risk": list(self.at_risk),
               "disclosures": list(self.disclosures)}
        if self.suspected:  # only where used, so existing JSON keeps its shape
            out["suspected"] = list(self.suspected)
        return out


NOTHING = Indicates()


@dataclass(frozen=True, slots=True)
class Cue:
    id: str
    label: str
    indicates: Indicates
    # Case facts recorded when the cue is ticked, e.g. (("case_status", "in_foster_care"),).
    sets: tuple[tuple[str, object], ...] = ()
    # A risk factor or indicator the cue records as context for the worker, never counted as
    # an At-Risk indicator or a red flag (e.g. 003's "Unexplained absences from school").
    context: str = ""


@dataclass(frozen=True, slots=True)
class ObservationItem:
    red_flag: str
    hint: str
    indicates: Indicates


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    kind: str
    audience: str
    section: str
    index: int
    text: str
    source: str
    guidance: str = ""
    cues: tuple[Cue, ...] = ()
    # Worker reference in legal terms: shown only when the worker asks (never by default, since
    # a youth may see the screen), so it is not held to the youth word list.
    reference: str = ""
    indicates_on_yes: Indicates = NOTHING
    indicates_on_no: Indicates = NOTHING
    follow_up: str = ""
    branch: tuple[tuple[str, str], ...] = ()
    variant_of: str = ""
    items: tuple[ObservationItem, ...] = ()
    fields: tuple[str, ...] = ()
    script: str = ""
    risk_factor: str = ""
    # The case fact this step's answer records: yes/no for a closed step, the typed value for
    # an open one (see docs/flow-format.md, "Answers that record case facts").
    fact: str = ""
    line: int = 0
    # Where the step was written when it came from an included file (its path), and the line
    # of the include in the flow that uses it; empty and 0 for the flow's own steps.
    origin: str = ""
    include_line: int = 0
    # The file the step is written in (its flow's, or the part's when included): a translation
    # of the step lives beside it, flows/lang/<language>/<that file> (interview/content/
    # translations.py).
    file: str = ""
    cue_ids: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "cue_ids", frozenset(c.id for c in self.cues))

    @property
    def records_facts(self) -> bool:
        return bool(self.fact) or any(c.sets for c in self.cues)

    @property
    def is_question(self) -> bool:
        return self.kind in ("open", "closed")

    def cue(self, cue_id: str) -> Cue | None:
        for cue in self.cues:
            if cue.id == cue_id:
                return cue
        return None


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    steps: tuple[str, ...]
    guidance: str = ""
    origin: str = ""        # the file it was written in, when included
    include_line: int = 0   # the line of the include in the flow that uses it
    reference: str = ""     # worker reference in legal terms, shown on request only
    # The worker's own, in the policy's words (the S, L and C checklists): in an interview the
    # app shows it only once the worker says the person interviewed is out of view.
    out_of_view: bool = False


@dataclass(frozen=True)
class Flow:
    id: str
    title: str
    source: str
    sections: tuple[Section, ...]
    steps: tuple[Step, ...]
    gate: str = ""
    description: str = ""
    setting: str = "interview"
    # The flow to offer instead when the case facts record a return from an absence.
    after_absence: str = ""
    path: Path | None = None
    key_lines: dict = field(default_factory=dict, repr=False, compare=False)
    by_id: dict[str, Step] = field(default_factory=dict, repr=False, compare=False)
    section_by_id: dict[str, Section] = field(default_factory=dict, repr=False, compare=False)
    observation_items: dict[str, ObservationItem] = field(default_factory=dict, repr=False,
                                                          compare=False)
    fact_steps: tuple[Step, ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        self.by_id.update({s.id: s for s in self.steps})
        self.section_by_id.update({s.id: s for s in self.sections})
        self.observation_items.update({i.red_flag: i for s in self.steps for i in s.items})
        object.__setattr__(self, "fact_steps", tuple(s for s in self.steps if s.records_facts))

    def step(self, step_id: str) -> Step:
        return self.by_id[step_id]

    @cached_property
    def interviewed(self) -> str:
        """Who the flow interviews: the audience most of its questions are put to."""
        counts: dict[str, int] = {}
        for step in self.steps:
            if step.is_question and step.audience != "worker":
                counts[step.audience] = counts.get(step.audience, 0) + 1
        return max(counts, key=counts.get) if counts else "worker"

    @cached_property
    def screens_youth(self) -> bool:
        """Whether the flow is itself a screening interview with the youth."""
        return self.setting == "interview" and self.interviewed == "youth"

    def resolve_target(self, target: str) -> str | None:
        """A branch target names a step, or a section (meaning its first step)."""
        if target in self.by_id:
            return target
        section = self.section_by_id.get(target)
        if section and section.steps:
            return section.steps[0]
        return None


@dataclass(frozen=True, slots=True)
class RedFlag:
    id: str
    row: int
    label: str
    columns: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class AtRiskIndicator:
    id: str
    group: str
    label: str
    # Red flags that are reasons to ask whether this indicator holds, never the indicator itself
    # (e.g. someone else who speaks for the youth: ask whether a person controls them, for A).
    prompted_by: tuple[str, ...] = ()
    ask: str = ""


@dataclass(frozen=True, slots=True)
class NextStepSpec:
    id: str
    action: str
    who: str
    deadline: str
    source: str
    title: str = ""      # a short name, for the hotline screen's panel
    category: str = ""   # one of NEXT_STEP_CATEGORIES


NEXT_STEP_CATEGORIES = ("now", "report", "cross_report", "response", "documentation",
                        "service", "engagement")


@dataclass(frozen=True, slots=True)
class ScriptPart:
    covers: str
    text: str
    source: str


@dataclass(frozen=True)
class Script:
    id: str
    title: str
    source: str
    guidance: str
    parts: tuple[ScriptPart, ...]
    path: Path | None = None
    # A default the county has not yet replaced with its own, drafted with county counsel.
    draft: bool = False

    @property
    def text(self) -> str:
        return "\n\n".join(part.text.strip() for part in self.parts)


@dataclass(frozen=True)
class County:
    """County details are configuration: names, numbers and who to call differ by county."""

    id: str
    name: str
    hotline_name: str
    hotline_phone: str
    specialized_court: str
    advocacy_provider: str
    csec_unit: str
    source: str
    confidentiality_script: Path | None = None
    # A folder of templates that replace the shipped ones of the same name (reports, wording).
    templates: Path | None = None
    path: Path | None = None
    # A folder of the county's own translations (same layout as flows/lang/): a file there
    # replaces the shipped translation of the same name, e.g. es/youth.yaml.
    translations: Path | None = None
    csec_coordinator: str = "the county's CSEC coordinator"
    # Who takes part in the Ongoing MDT, and whether the county holds it for youth at risk too
    # (Orange County, 000: "a child who is identified as a victim of CSE, or at risk of CSE"; the
    # MOU template, 002, for identified victims).
    ongoing_mdt_members: str = "the MDT partners"
    ongoing_mdt_for_at_risk: bool = False
    # 003 refers victims of labor trafficking to "Advocacy Services", not its CSEC advocacy.
    labor_advocacy_provider: str = "the county-designated advocacy provider"
    # The MDT response times: the MOU template's (002 IV.C-D, "the CSEC Action Team
    # recommends" within 2 hours and 10 days; the statute requires 24 hours for an imminent
    # risk, footnote 32): a county's MOU may set its own. "N hours" or "N days".
    immediate_crisis_within: str = "2 hours"
    crisis_support_through: str = "72 hours"
    initial_mdt_within: str = "10 days"
    # The names said to a youth or caregiver in another language, by language and placeholder
    # (`in_language: {es: {county_name: su condado}}`): "your county" is no Spanish.
    in_language: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def placeholders_in(self, lang: str) -> dict[str, str]:
        """The placeholders as said in `lang`: the county's own names where it gives them."""
        values = self.placeholders()
        for language, names in self.in_language:
            if language == lang:
                values.update(names)
        return values

    def placeholders(self) -> dict[str, str]:
        return {
            "county_name": self.name,
            "hotline": f"{self.hotline_name} {self.hotline_phone}".strip(),
            "hotline_name": self.hotline_name,
            "hotline_phone": self.hotline_phone,
            "specialized_court": self.specialized_court,
            "advocacy_provider": self.advocacy_provider,
            "labor_advocacy_provider": self.labor_advocacy_provider,
            "csec_unit": self.csec_unit,
            "csec_coordinator": self.csec_coordinator,
            "ongoing_mdt_members": self.ongoing_mdt_members,
            "immediate_crisis_within": self.immediate_crisis_within,
            "crisis_support_through": self.crisis_support_through,
            "initial_mdt_within": self.initial_mdt_within,
        }


PLACEHOLDERS = ("county_name", "hotline", "hotline_name", "hotline_phone", "specialized_court",
                "advocacy_provider", "labor_advocacy_provider", "csec_unit", "csec_coordinator",
                "ongoing_mdt_members", "immediate_crisis_within", "crisis_support_through",
                "initial_mdt_within")


@dataclass(frozen=True, slots=True)
class Term:
    """One word of the vocabulary (flows/catalog/vocabulary.yaml): its id is the code's, its
    words are the catalog's."""

    id: str
    label: str           # how a form, a list or a report names it
    letter: str = ""     # S, L or C (forms and chart columns)
    short: str = ""      # for a narrow panel
    long: str = ""       # with its clock (response tiers)
    says: str = ""       # inside a sentence ("while in foster care")
    number: int = 0      # the CSEC Type's number in 001
    category: str = ""   # an abuse subcategory's category id
    form: str = ""       # an abuse subcategory's form id


# The kinds of words in the vocabulary, and the ids the code knows for each: the catalog must
# name each id once (checked by the loader).
VOCABULARY_IDS: dict[str, tuple[str, ...]] = {
    "forms": FORMS, "columns": COLUMNS, "csec_types": CSEC_TYPES,
    "case_statuses": CASE_STATUSES, "exploited_during": EXPLOITED_DURING,
    "abuse_categories": ABUSE_CATEGORIES, "abuse_subcategories": ABUSE_SUBCATEGORIES,
    "response_tiers": RESPONSE_TIERS, "jurisdictions": JURISDICTIONS,
}


@dataclass(frozen=True)
class Vocabulary:
    """Every name of a form, chart column, CSEC Type, case status, abuse category and
    subcategory, response tier and jurisdiction, keyed by id (in the catalog's order)."""

    kinds: dict[str, dict[str, Term]]

    def __getattr__(self, kind: str) -> dict[str, Term]:
        try:
            return self.__dict__["kinds"][kind]
        except KeyError:
            raise AttributeError(kind) from None

    def label(self, kind: str, ident: str | None) -> str:
        """The label of one id (`none` for a missing response tier)."""
        return self.kinds[kind][ident or "none"].label

    def labels(self, kind: str, attribute: str = "label") -> dict[str, str]:
        """id -> words, e.g. labels("forms", "letter") == {"sex_trafficking": "S", ...}."""
        return {i: getattr(t, attribute) for i, t in self.kinds[kind].items()}

    def filled(self, county: "County") -> "Vocabulary":
        """The words with the county's placeholders filled (the response tiers' times)."""
        from dataclasses import replace

        return Vocabulary({kind: {i: replace(t, short=fill_placeholders(t.short, county),
                                             long=fill_placeholders(t.long, county))
                                  for i, t in terms.items()}
                           for kind, terms in self.kinds.items()})

    def choices(self, kind: str) -> list[tuple[str, str]]:
        """(label, id) pairs, as a form's select lists them."""
        return [(t.label, t.id) for t in self.kinds[kind].values()]

    def subcategory(self, form: str, category: str = "exploitation") -> Term:
        """The abuse subcategory of a form under an abuse category."""
        for term in self.kinds["abuse_subcategories"].values():
            if term.form == form and term.category == category:
                return term
        raise KeyError(f"no {category} subcategory for {form}")


@dataclass(frozen=True)
class Library:
    """Everything the engine needs: flows, the catalogs they point into, and the county."""

    flows: dict[str, Flow]
    red_flags: dict[str, RedFlag]
    at_risk: dict[str, AtRiskIndicator]
    next_steps: dict[str, NextStepSpec]
    scripts: dict[str, Script]
    county: County
    youth_words: tuple[str, ...]
    vocabulary: Vocabulary | None = None
    # What is said to the youth and the caregiver in other languages, by language
    # (interview/content/translations.py; None when loaded without them).
    translations: Translations | None = None

    def __post_init__(self) -> None:
        _use_vocabulary(self.vocabulary)
        _use_translations(self)

    def __setstate__(self, state: dict) -> None:  # a Library from the content cache
        self.__dict__.update(state)
        _use_vocabulary(self.vocabulary)
        _use_translations(self)

    def next_step_json(self, step_id: str) -> dict:
        """A next step as the CLI shows it, with the county's names filled in (cached)."""
        cache = self.__dict__.setdefault("_next_step_json", {})
        if step_id not in cache:
            spec = self.next_steps[step_id]
            cache[step_id] = {"id": spec.id, "action": fill_placeholders(spec.action, self.county),
                              "who": spec.who, "deadline": spec.deadline, "source": spec.source}
            if spec.title:
                cache[step_id]["title"] = spec.title
            if spec.category:
                cache[step_id]["category"] = spec.category
        return cache[step_id]

    def step_text(self, step: Step) -> str:
        """What the worker says for a step, with a referenced script and county names filled in."""
        text = self.scripts[step.script].text if step.script else step.text
        return fill_placeholders(text, self.county)


def derived(owner, name: str, make):
    """make(owner), made the first time it is asked for and kept on `owner` (a Flow, the
    Library): a table the engine or the rules derive from content, which never changes once
    loaded, so every record and findings reads the same one."""
    made = owner.__dict__.get(name)
    if made is None:
        made = owner.__dict__[name] = make(owner)
    return made


def fill_placeholders(text: str, county: County, lang: str = "en") -> str:
    if "{" not in text:
        return text
    for key, value in county.placeholders_in(lang).items():
        text = text.replace("{" + key + "}", value)
    return text


def _use_vocabulary(vocabulary: Vocabulary | None) -> None:
    """Code with no Library at hand (a finding's JSON, a screen's list) reads the vocabulary of
    the Library loaded last (interview/content/vocabulary.py)."""
    if vocabulary is not None:
        from interview.content import vocabulary as words

        words.use(vocabulary)


def _use_translations(library: Library) -> None:
    """`said_text(step, lang)` without a Library at hand reads the Library loaded last."""
    if getattr(library, "translations", None) is not None:
        from interview.content import translations

        translations.use(library)
