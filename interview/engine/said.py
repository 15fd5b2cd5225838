"""What the worker says for a step in the language of the interview, with the English beside it.

One answer for the app's card, its transcript and the reports' transcript: the translation
(interview/content/translations.py) when there is a current one, else the English with the
reason the worker has to interpret it (no translation, or one older than the English). Only
what is said to the youth or the caregiver is translated: worker guidance, the findings and
everything worker-only stay English.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from interview.content import model as m

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
