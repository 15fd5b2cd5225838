"""What the worker says for a step in the language of the interview, with the English beside it.

One answer for the app's card, its transcript and the reports' transcript: the translation
(interview/content/translations.py) when there is a current one, else the English with the
reason the worker has to interpret it (no translation, or one older than the English). Only
what is said to the youth, the caregiver or a reporter is translated: worker guidance, the
findings and everything worker-only stay English.
"""

from __future__ import annotations

from dataclasses import field

from interview.content import model as m
from interview.errors import InputError
from interview.lazy_dataclass import dataclass

NO_TEXT, STALE = "none", "stale"  # why a step is said in English in another language


@dataclass(frozen=True)
class Said:
    """A step as said in `language`: `text` (and `follow_up`, `cues` by cue id) is what to say;
    `english` and `english_follow_up` are the English it translates ("" when `text` is the
    English itself). `interpret`: NO_TEXT or STALE when the language is not English but the step
    has no current translation, so the English is shown for the worker to interpret."""

    language: str
    text: str
    follow_up: str = ""
    cues: dict[str, str] = field(default_factory=dict)
    english: str = ""
    english_follow_up: str = ""
    interpret: str = ""
    draft: bool = False

    @property
    def translated(self) -> bool:
        return bool(self.english)

    def kept(self) -> dict | None:
        """What an answer or skip event keeps of it: the words said (or why the English had
        to be interpreted); nothing in English."""
        if self.language == "en":
            return None
        if not self.translated:
            return {"language": self.language, "interpret": self.interpret}
        return {"language": self.language, "text": self.text,
                **({"follow_up": self.follow_up} if self.follow_up else {}),
                **({"draft": True} if self.draft else {})}


def said(library: m.Library, step: m.Step, language: str) -> Said:
    """The step as said in `language` (English for "en" and for steps not said to the youth or
    the caregiver)."""
    english = library.step_text(step)
    from interview.content.translations import is_said, said_text

    if language == "en" or not is_said(step):
        return Said("en", english, step.follow_up)
    found = said_text(step, language, library)
    if found is None or found.stale or not (found.text or "").strip():
        return Said(language, english, step.follow_up,
                    interpret=STALE if found is not None and found.stale else NO_TEXT)
    cue_ids = step.cue_ids
    return Said(language, found.text, found.follow_up or "",
                {cue: label for cue, label in (found.cues or {}).items() if cue in cue_ids},
                english=english, english_follow_up=step.follow_up, draft=bool(found.draft))


KEPT_KEYS = {"language": str, "text": str, "follow_up": str, "interpret": str, "draft": bool}
MAX_KEPT = 20_000  # characters of one kept text: a long script part is about 2,000


def check_kept(value, event_type: str) -> None:
    """Refuse what an event says was said unless it has the form `Said.kept` writes."""
    where = f"{event_type}.said"
    if event_type not in ("answer", "skip") or not isinstance(value, dict):
        raise InputError(f"{where}: only an answer or a skip keeps what was said, as a mapping")
    for key, item in value.items():
        kind = KEPT_KEYS.get(key)
        if kind is None:
            raise InputError(f"{where}: unknown key {key!r}; use {', '.join(KEPT_KEYS)}")
        if type(item) is not kind or (kind is str and len(item) > MAX_KEPT):
            raise InputError(f"{where}.{key}: must be {'text' if kind is str else 'true or false'}"
                             + (f" of at most {MAX_KEPT:,} characters" if kind is str else ""))
    if not value.get("language") or not (value.get("text") or value.get("interpret")):
        raise InputError(f"{where}: give the language and the text said (or why it was "
                         "interpreted)")


def as_asked(library: m.Library, step: m.Step, record) -> Said:
    """A step as it was said in the interview `record` holds: in the language it was asked in,
    with the words its event kept (an interview saved before events kept them: today's
    translation)."""
    language = record.asked_in.get(step.id, "en")
    kept = record.said_then.get(step.id)
    if language == "en" or kept is None or kept["language"] != language:
        return said(library, step, language)
    english = library.step_text(step)
    if "text" not in kept:
        return Said(language, english, step.follow_up, interpret=kept["interpret"])
    return Said(language, kept["text"], kept.get("follow_up", ""), english=english,
                english_follow_up=step.follow_up, draft=kept.get("draft", False))
