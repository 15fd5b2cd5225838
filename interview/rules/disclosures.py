"""What was disclosed, in the terms of the definitions (DOMAIN.md section 2; 003 "POLICY").

A commercial sex act by a minor is sex trafficking regardless of force, fraud or coercion; labor
trafficking needs work *and* force, fraud or coercion; criminal activity is illegal work for
someone else's profit.
"""

from __future__ import annotations

from interview.content.vocabulary import vocabulary

# A commercial sex act; advertising a minor for sexual purposes (003, examples of CSE); and the
# sexual exploitation of PC 11165.1(c) that 003's procedure lists (obscene images, their sale,
# a live performance or modelling, assisting others), which 001's Victim types include.
SEX_ELEMENTS = ("commercial_sex_act", "sexual_advertising", "sexual_exploitation")
LABOR_MEANS = ("force", "fraud", "force_or_fraud", "coercion")


_SEX, _MEANS = frozenset(SEX_ELEMENTS), frozenset(LABOR_MEANS)


def classify(elements: set[str]) -> tuple[dict[str, bool], list[str]]:
    """Which of the three forms the disclosed elements amount to, and notes on what is missing."""
    sex = bool(elements & _SEX)
    means = elements & _MEANS
    labor = "labor" in elements and bool(means)
    criminal = "criminal_activity" in elements
    notes: list[str] = []
    if "labor" in elements and not means:
        notes.append("Work for someone else was disclosed without force, fraud or coercion: "
                     "labor trafficking needs one of them; assess the work situation "
                     f"({vocabulary().subcategory('labor_trafficking').label}).")
    if means and "labor" not in elements and not sex:
        notes.append(f"{', '.join(sorted(means)).replace('_', ' ').capitalize()} was disclosed "
                     "without any work or services: ask about the youth's full work history.")
    return {"sex_trafficking": sex, "labor_trafficking": labor,
            "criminal_activity": criminal}, notes


def one_situation(elements: dict[str, list]) -> bool:
    """Whether one answer or cue tells both the work and a means of control (the same evidence
    carries both elements). Told in separate answers, they may be two situations: labor
    trafficking is work obtained *through* force, fraud or coercion (003), which the worker
    knows from the follow-ups and the product cannot."""
    work = {id(e) for e in elements.get("labor", ())}
    return any(id(e) in work for means in LABOR_MEANS for e in elements.get(means, ()))


SEPARATE_ANSWERS = ("The work and the force, fraud or coercion were told in separate answers: "
                    "labor trafficking needs the work to be obtained through them, in one "
                    "situation. Confirm the disclosure if it is one situation, or reject it, "
                    "with the reason.")


def partial_labor(elements) -> bool:
    """Work for someone else, or a means of control, told without the other: not labor
    trafficking by the definition, and a suspicion of it only if the worker has one."""
    return ("labor" in elements) != bool(set(elements) & _MEANS)


_ELEMENTS_FOR = {"sex_trafficking": SEX_ELEMENTS, "labor_trafficking": ("labor",) + LABOR_MEANS,
                 "criminal_activity": ("criminal_activity",)}


def elements_for(kind: str) -> tuple[str, ...]:
    """The disclosure elements that count as evidence for one of the three forms."""
    return _ELEMENTS_FOR[kind]
