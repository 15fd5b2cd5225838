"""The domain's vocabulary for code that has no Library at hand.

The words live in flows/catalog/vocabulary.yaml, loaded and checked with the other catalogs
into `Library.vocabulary`. Where code holds a Library it uses `library.vocabulary`; a finding's
JSON, a practice score or a screen's list of choices calls `vocabulary()`: the vocabulary of the
Library loaded last, or else the shipped catalog, loaded once.
"""

from __future__ import annotations

from interview.content import model as m

_current: m.Vocabulary | None = None


def use(vocabulary: m.Vocabulary) -> None:
    """Make this the vocabulary `vocabulary()` returns (a Library does it when it is built)."""
    global _current
    _current = vocabulary


def vocabulary() -> m.Vocabulary:
    if _current is None:
        from interview.content.loader import load_vocabulary
        from interview.paths import flows_dir

        # with no county loaded, the times a county file leaves out (the MOU template's)
        use(load_vocabulary(flows_dir() / "catalog" / "vocabulary.yaml").filled(
            m.County("", "", "", "", "", "", "", "")))
    return _current


def label(kind: str, ident: str | None) -> str:
    """e.g. label("csec_types", "at_risk") == "At-Risk"."""
    return vocabulary().label(kind, ident)


def labels(kind: str, attribute: str = "label") -> dict[str, str]:
    """e.g. labels("forms", "letter") == {"sex_trafficking": "S", ...}."""
    return vocabulary().labels(kind, attribute)
