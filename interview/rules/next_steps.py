"""Which next steps apply, and why. Wording, who and deadlines live in the catalog YAML.

Two settings (a flow's `setting`): an interview, where the worker with the youth or caregiver
reports to the hotline and arranges services; and a hotline intake, where the screener takes
the report, settles the speed of the response and jurisdiction, documents the referral and
cross-reports (000 "Child Abuse Registry", "Mandated Reporting Responsibilities"; 002 MOU IV.C).
"""

from __future__ import annotations

from dataclasses import dataclass

from interview.engine.record import Context
from interview.rules.response import JURISDICTION_LABELS, Jurisdiction, Response


@dataclass(frozen=True)
class Situation:
    """What the rules found, as the next steps need it."""

    context: Context
    setting: str
    disclosed: dict[str, bool]
    suspected: dict[str, bool]        # disclosed, or a reasonable suspicion recorded
    at_risk_met: bool
    has_red_flags: bool
    concern: bool                     # any concern of CSE or labor trafficking (OTIP)
    has_csec_type: bool
    response: Response
    jurisdiction: Jurisdiction


def _forms(flags: dict[str, bool]) -> str:
    return ", ".join(k.replace("_", " ") for k, v in flags.items() if v)


def applicable(s: Situation) -> list[tuple[str, str]]:
    """(next-step id, reason) pairs, in the order they should be done."""
    return hotline(s) if s.setting == "hotline" else interview(s)


def _response_step(s: Situation) -> list[tuple[str, str]]:
    if s.response.speed == "immediate_crisis":
        return [("immediate_crisis_mdt", "CSE suspected with an immediate safety concern.")]
    if s.response.speed == "initial_mdt":
        return [("initial_mdt", "CSE suspected; " + (
            "no immediate safety risk." if s.response.safety_concern is False
            else "no immediate safety concern recorded."))]
    return []


def _missing(s: Situation, any_suspected: bool) -> list[tuple[str, str]]:
    if s.context.missing and (any_suspected or s.at_risk_met):
        return [("ncmec_24h", "The child is missing and "
                 + ("exploitation is suspected." if any_suspected else "is at risk."))]
    return []


def _otip(s: Situation) -> list[tuple[str, str]]:
    if s.context.foreign_national and s.concern:
        return [("otip_24h", "Foreign national minor with a concern of sex or labor "
                 "trafficking; report on suspicion.")]
    return []


def interview(s: Situation) -> list[tuple[str, str]]:
    context, disclosed = s.context, s.disclosed
    sex = s.suspected["sex_trafficking"]
    any_disclosure = any(disclosed.values())
    any_suspected = any(s.suspected.values())
    kinds = _forms(disclosed)
    steps = [("basic_needs", "Always first, and never contingent on the interview.")]
    if any_disclosure:
        steps.append(("report_hotline", f"Suspected: {kinds}."))
    elif any_suspected:
        steps.append(("report_hotline", f"Reasonable suspicion: {_forms(s.suspected)} "
                      "(every new and repeated incident is reported)."))
    if any_disclosure:
        steps.append(("law_enforcement_24h",
                      f"Suspected {kinds}"
                      + ("; the child receives child welfare services (PC 11166(j)(2))."
                         if context.in_child_welfare else "; contact law enforcement immediately.")))
    elif context.missing and s.at_risk_met:
        steps.append(("law_enforcement_24h", "The child is missing and at risk (PC 11166(j)(3))."))
    steps += _missing(s, any_disclosure)
    steps += _otip(s)
    if sex:
        steps += _response_step(s)
    if any_disclosure:
        steps.append(("medical_exam", f"Suspected {kinds}."))
    if any_disclosure or s.at_risk_met:
        steps.append(("advocacy_referral", "Exploitation suspected." if any_disclosure
                      else "At risk (high risk) of exploitation."))
    if any_disclosure:
        steps.append(("safety_plan", f"Suspected {kinds}."))
    if disclosed["sex_trafficking"]:
        steps.append(("social_media_search", "CSE suspected."))
    if any_disclosure:
        steps.append(("consider_specialized_court", f"Suspected {kinds}."))
        steps.append(("consider_csec_unit", f"Suspected {kinds}."))
    if s.at_risk_met and not any_disclosure:
        steps.append(("preventive_services", "At risk, with no disclosure."))
    if s.has_csec_type:
        steps.append(("document_csec_type", "A CSEC Type applies."))
    if not any_disclosure and (s.at_risk_met or s.has_red_flags):
        steps.append(("continue_engagement", "Red flags or risk without a disclosure: youth "
                      "often deny at first and disclose later."))
    return steps


def hotline(s: Situation) -> list[tuple[str, str]]:
    """The screener's list: the response, cross-reports, then the referral's documentation."""
    context = s.context
    sex = s.suspected["sex_trafficking"]
    any_suspected = any(s.suspected.values())
    kinds = _forms(s.suspected)
    steps = _response_step(s) if sex else []
    if any_suspected:
        where = JURISDICTION_LABELS[s.jurisdiction.agency].lower()
        steps.append(("contact_response_unit", f"Jurisdiction: {where}. {s.jurisdiction.reason}"))
    if any_suspected:
        steps.append(("law_enforcement_24h", f"Suspected {kinds}: cross-report the allegation "
                      "(PC 11166(j)(1))"
                      + ("; the child receives child welfare services (PC 11166(j)(2))."
                         if context.in_child_welfare and sex else ".")))
    elif context.missing and s.at_risk_met:
        steps.append(("law_enforcement_24h", "The child is missing and at risk (PC 11166(j)(3))."))
    steps += _missing(s, any_suspected)
    steps += _otip(s)
    if sex:
        steps.append(("screener_alert", "CSE suspected."))
    if any_suspected:
        subcategories = [name for form, name in (
            ("sex_trafficking", "Commercial Sexual Exploitation"),
            ("labor_trafficking", "Exploiting a Child's Labor"),
            ("criminal_activity", "Involving a Child in Criminal Activity")) if s.suspected[form]]
        steps.append(("abuse_category_exploitation", "Suspected: " + "; ".join(subcategories)
                      + ("; enter each as a separate allegation." if len(subcategories) > 1
                         else ".")))
    others = [a.replace("_", " ") for a in context.other_allegations]
    if context.caregiver_failed_to_protect and sex:
        others.append("General Neglect: Fail/Unable to Protect from CSE")
    if others:
        steps.append(("other_allegations", "Reported: " + ", ".join(others) + "."))
    if sex:
        steps.append(("notify_er_managers", "A referral with an allegation of CSE."))
        if context.from_another_county:
            steps.append(("notify_csec_coordinator", "A case from another county (parachute "
                          "case) involving CSE."))
    steps.append(("sdm_response_time", "Every referral: " + (
        "the MDT tier above sets the CSE response; SDM decides the rest."
        if sex else "CSE is not suspected, so SDM sets the response time.")))
    return steps
