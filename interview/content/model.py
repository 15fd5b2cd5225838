"""The content model: flows, steps, cues and the catalogs they point into.

Immutable dataclasses built once by the loader; the engine and rules only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("script", "open", "closed", "observation", "facts")
AUDIENCES = ("youth", "caregiver", "reporter", "worker")
ANSWERS = ("yes", "no", "declined", "unsure")
COLUMNS = ("sex_trafficking", "labor", "criminal_activity")
AT_RISK_LETTERS = tuple("ABCDEFGH")
DISCLOSURE_KINDS = (
    "commercial_sex_act", "sexual_advertising", "labor", "force", "fraud", "force_or_fraud",
    "coercion", "criminal_activity",
)
SCRIPT_PARTS = ("sharing", "must_report", "not_used_for", "results_access", "choices")
CONTEXT_FIELDS = (
    "date_of_birth", "interview_date", "case_status", "receiving_child_welfare_services",
    "missing", "absence", "foreign_national", "immediate_safety_concern", "case_id",
    "interviewer", "interviewee", "caregiver_failed_to_protect",
)
CASE_STATUSES = (
    "no_open_case", "in_foster_care", "open_case_not_in_foster_care", "closed_case_receiving_ilp",
)


@dataclass(frozen=True, slots=True)
class Indicates:
    """What an answer, cue or observation points to; the rules read only this."""

    red_flags: tuple[str, ...] = ()
    at_risk: tuple[str, ...] = ()
    disclosures: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.red_flags or self.at_risk or self.disclosures)

    def as_json(self) -> dict:
        return {"red_flags": list(self.red_flags), "at_risk": list(self.at_risk),
                "disclosures": list(self.disclosures)}


NOTHING = Indicates()


@dataclass(frozen=True, slots=True)
class Cue:
    id: str
    label: str
    indicates: Indicates


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
    indicates_on_yes: Indicates = NOTHING
    indicates_on_no: Indicates = NOTHING
    follow_up: str = ""
    branch: tuple[tuple[str, str], ...] = ()
    variant_of: str = ""
    items: tuple[ObservationItem, ...] = ()
    fields: tuple[str, ...] = ()
    script: str = ""
    risk_factor: str = ""
    line: int = 0
    cue_ids: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "cue_ids", frozenset(c.id for c in self.cues))

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


@dataclass(frozen=True)
class Flow:
    id: str
    title: str
    source: str
    sections: tuple[Section, ...]
    steps: tuple[Step, ...]
    gate: str = ""
    description: str = ""
    path: Path | None = None
    by_id: dict[str, Step] = field(default_factory=dict, repr=False, compare=False)
    section_by_id: dict[str, Section] = field(default_factory=dict, repr=False, compare=False)
    observation_items: dict[str, ObservationItem] = field(default_factory=dict, repr=False,
                                                          compare=False)

    def __post_init__(self) -> None:
        self.by_id.update({s.id: s for s in self.steps})
        self.section_by_id.update({s.id: s for s in self.sections})
        self.observation_items.update({i.red_flag: i for s in self.steps for i in s.items})

    def step(self, step_id: str) -> Step:
        return self.by_id[step_id]

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


@dataclass(frozen=True, slots=True)
class NextStepSpec:
    id: str
    action: str
    who: str
    deadline: str
    source: str


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

    def placeholders(self) -> dict[str, str]:
        return {
            "county_name": self.name,
            "hotline": f"{self.hotline_name} {self.hotline_phone}".strip(),
            "hotline_name": self.hotline_name,
            "hotline_phone": self.hotline_phone,
            "specialized_court": self.specialized_court,
            "advocacy_provider": self.advocacy_provider,
            "csec_unit": self.csec_unit,
        }


PLACEHOLDERS = ("county_name", "hotline", "hotline_name", "hotline_phone", "specialized_court",
                "advocacy_provider", "csec_unit")


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

    def next_step_json(self, step_id: str) -> dict:
        """A next step as the CLI shows it, with the county's names filled in (cached)."""
        cache = self.__dict__.setdefault("_next_step_json", {})
        if step_id not in cache:
            spec = self.next_steps[step_id]
            cache[step_id] = {"id": spec.id, "action": fill_placeholders(spec.action, self.county),
                              "who": spec.who, "deadline": spec.deadline, "source": spec.source}
        return cache[step_id]

    def step_text(self, step: Step) -> str:
        """What the worker says for a step, with a referenced script and county names filled in."""
        text = self.scripts[step.script].text if step.script else step.text
        return fill_placeholders(text, self.county)


def fill_placeholders(text: str, county: County) -> str:
    if "{" not in text:
        return text
    for key, value in county.placeholders().items():
        text = text.replace("{" + key + "}", value)
    return text
