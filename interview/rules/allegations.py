"""Which CWS/CMS allegations to enter: abuse category and subcategory (001, "Use of the
Exploitation & Neglect Abuse Categories and CSEC SubCategories"; 003, "Assessment of Alleged
Exploitation").

An allegation of CSE uses the category Exploitation; when it is substantiated, the subcategory
Commercial Sexual Exploitation. Where the parent or guardian failed or was unable to protect,
also General Neglect with Fail/Unable to Protect from CSE. Labor trafficking and criminal
activity are entered as separate allegations (003: "In cases which involve two or more forms of
exploitation, allegations should be entered separately").
"""

from __future__ import annotations

from dataclasses import dataclass

from interview.content.vocabulary import vocabulary
from interview.record import Context

CATEGORIES_SOURCE = "001 § Use of the Exploitation & Neglect Abuse Categories and CSEC SubCategories"
# The categories and subcategories are named in flows/catalog/vocabulary.yaml (001 Attachment
# A; the list in 003, "Assessment of Alleged Exploitation"); the rule picks them by id.
# The case facts this rule reads (interview/content/model.py FACT_TYPES).
FACTS = ("caregiver_failed_to_protect",)
FORMS_SOURCE = "003 § Assessment of Alleged Exploitation"
DISPOSITION_SOURCE = "003 § Determining Disposition"


@dataclass(frozen=True, slots=True)
class Allegation:
    form: str           # sex_trafficking, labor_trafficking, criminal_activity
    category: str
    subcategory: str
    status: str         # "enter", or "consider" when a case fact is not yet known
    basis: str
    source: str

    def as_json(self) -> dict:
        return {"form": self.form, "category": self.category, "subcategory": self.subcategory,
                "status": self.status, "basis": self.basis, "source": self.source}


def allegations(forms: dict[str, bool], context: Context) -> list[Allegation]:
    """The allegations the findings call for, in the order they are entered."""
    words = vocabulary()
    exploitation = words.label("abuse_categories", "exploitation")

    def sub(form: str, category: str = "exploitation") -> str:
        return words.subcategory(form, category).label

    out = []
    if forms.get("sex_trafficking"):
        out.append(Allegation(
            "sex_trafficking", exploitation, sub("sex_trafficking"), "enter",
            "Commercial sexual exploitation is alleged. Select the subcategory when the "
            "allegation is substantiated; when the investigation and collateral information show "
            "it likely occurred, it can be substantiated even when the youth denies it or does "
            "not name the perpetrator, or the parent tried to protect "
            f"({DISPOSITION_SOURCE}).", CATEGORIES_SOURCE))
        protect = context.caregiver_failed_to_protect
        if protect is not False:
            out.append(Allegation(
                "sex_trafficking", words.label("abuse_categories", "general_neglect"),
                sub("sex_trafficking", "general_neglect"),
                "enter" if protect else "consider",
                "The parent or guardian failed or was unable to protect the child from the "
                "exploitation." if protect else
                "If the parent or guardian failed or was unable to protect the child (not "
                "recorded in the case facts yet).", CATEGORIES_SOURCE))
    if forms.get("labor_trafficking"):
        out.append(Allegation(
            "labor_trafficking", exploitation, sub("labor_trafficking"), "enter",
            "Labor trafficking is alleged (work with force, fraud or coercion): a separate "
            "allegation.", FORMS_SOURCE))
    if forms.get("criminal_activity"):
        out.append(Allegation(
            "criminal_activity", exploitation, sub("criminal_activity"), "enter",
            "Involving the child in criminal activity is alleged: a separate allegation.",
            FORMS_SOURCE))
    return out
