"""Which next steps apply, and why. Wording, who and deadlines live in the catalog YAML;
docs/rules.md quotes the source of each rule below.

Two settings (a flow's `setting`): an interview, where the worker with the youth or caregiver
reports to the hotline and arranges services; and a hotline intake, where the screener takes
the report, settles the speed of the response and jurisdiction, documents the referral and
cross-reports (000 "Child Abuse Registry", "Mandated Reporting Responsibilities"; 002 MOU IV.C).

Each legal basis is applied to the form it names: PC 11166(j)(2) and (j)(3), NCMEC and the MDT
tiers to CSE; OTIP to a concern of sex or labor trafficking (criminal activity included, 003);
law enforcement for labor and criminal activity as 003's procedure says, without a clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from interview.record import Context
from interview.content.vocabulary import label, vocabulary
from interview.rules.response import SPEED_STEPS, Jurisdiction, Response
from interview.rules.screening import Screening


# Every next step these rules can propose: each must be in flows/catalog/next-steps.yaml, and a
# catalog step not listed here is one no rule proposes. `validate` checks both ways
# (interview/content/crosscheck.py); tests/test_crosscheck.py checks this list against the code.
PRODUCES = frozenset({
    "basic_needs", "report_hotline", "law_enforcement_24h", "law_enforcement_cse",
    "law_enforcement_labor_criminal", "law_enforcement_cross_report",
    "law_enforcement_missing_24h", "ncmec_24h", "otip_24h", "screen_for_cse",
    "immediate_crisis_mdt", "initial_mdt", "initial_mdt_duties", "ongoing_mdt",
    "medical_evaluation_72h", "medical_exam", "advocacy_referral", "labor_advocacy_referral",
    "safety_plan",
    "immediate_needs", "immigration_relief_screening", "social_media_search",
    "consider_specialized_court", "consider_csec_unit", "case_plan_services",
    "preventive_services", "document_csec_type", "continue_engagement", "contact_response_unit",
    "screener_alert", "abuse_category_exploitation", "other_allegations", "notify_er_managers",
    "notify_csec_coordinator", "sdm_response_time",
})
# The case facts these rules read (interview/content/model.py FACT_TYPES).
FACTS = ("missing", "foreign_national", "receiving_child_welfare_services", "case_status",
         "emergency_room_report", "other_allegations", "caregiver_failed_to_protect",
         "from_another_county")


@dataclass(frozen=True)
class Situation:
    """What the rules found, as the next steps need it."""

    context: Context
    setting: str
    disclosed: dict[str, bool]
    suspected: dict[str, bool]        # disclosed, or a reasonable suspicion recorded
    at_risk_met: bool
    has_red_flags: bool
    csec_status: str | None           # csec_type.STATUSES, or None when no type applies
    response: Response
    jurisdiction: Jurisdiction
    screening: Screening | None = None
    ongoing_mdt_for_at_risk: bool = False   # the county's choice (000 for Orange County)
    screens_youth: bool = True        # the flow is itself a screening interview with the youth


def _forms(flags: dict[str, bool]) -> str:
    return ", ".join(k.replace("_", " ") for k, v in flags.items() if v)


def applicable(s: Situation) -> list[tuple[str, str]]:
    """(next-step id, reason) pairs, in the order they should be done."""
    return hotline(s) if s.setting == "hotline" else interview(s)


def _response_step(s: Situation) -> list[tuple[str, str]]:
    if s.response.speed == "immediate_crisis":
        if s.context.emergency_room_report and not s.response.safety_concern:
            return [("immediate_crisis_mdt", "Sex trafficking suspected or confirmed by a medical "
                     "professional treating the child in an emergency room.")]
        return [("immediate_crisis_mdt", "CSE suspected with an immediate safety concern.")]
    if s.response.speed == "initial_mdt":
        return [("initial_mdt", "CSE suspected; " + (
            "no immediate safety risk." if s.response.safety_concern is False
            else "whether there is an immediate safety concern is not recorded yet: ask it "
            "now; if there is one, the response is Immediate Crisis."))]
    return []


def _routed_step(s: Situation) -> list[tuple[str, str]]:
    """An interview started from a hotline screen that routed the referral, whose own findings
    suspect nothing yet: the routed tier's step stands (002 IV.D: the hotline determines "the
    speed of the response"; the worker responds as routed). Its medical evaluation waits for
    an identification (002: "every identified exploited child")."""
    routed = s.response.hotline
    step = SPEED_STEPS.get(routed.get("tier", "")) if routed and not s.response.overruled \
        else None
    if step is None:
        return []
    return [(step, f"The hotline routed this referral as {routed['label']} on {routed['on']} "
             "(002 IV.D: the hotline determines the speed of the response); this interview's "
             "own findings decide anything further.")]


def _if_child_welfare(s: Situation, reason: str) -> str | None:
    """The reason for a duty that applies to a child receiving child welfare services: None
    when the child does not, a conditional reason when that is not recorded."""
    services = s.context.child_welfare_services
    if services is False:
        return None
    if services is None:
        return ("If the child receives child welfare services (an emergency response "
                "investigation is one, WIC 16501; record it in the case facts): " + reason)
    return "The child receives child welfare services; " + reason


def _missing(s: Situation) -> list[tuple[str, str]]:
    """PC 11166(j)(3) and NCMEC: a missing child receiving child welfare services, reasonably
    believed to be a victim of or at risk of CSE (000; 004 Appendix A). CSE only. In an
    interview started from a hotline screen, the referral the hotline routed (it suspected CSE)
    is that belief until the worker's own findings say more: the worker may never meet a
    missing child to record them (the chain audit, 2)."""
    if not s.context.missing:
        return []
    if s.suspected["sex_trafficking"]:
        belief = "the child is missing and reasonably believed to be a victim of CSE."
    elif s.at_risk_met:
        belief = "the child is missing and at risk of CSE."
    elif s.response.hotline and not s.response.overruled:  # a referral the hotline routed:
        # it suspected CSE (002 IV.D), and the worker has not found otherwise
        belief = ("the child is missing and, by the referral the hotline routed on "
                  f"{s.response.hotline['on']}, reasonably believed to be a victim of CSE.")
    else:
        return []
    reason = _if_child_welfare(s, belief)
    return [("law_enforcement_missing_24h", reason), ("ncmec_24h", reason)] if reason else []


# When part of labor trafficking was told and nothing is suspected, a foreign national's
# findings ask the worker instead (findings.evaluate adds it to the notes).
OTIP_UPON_SUSPICION = ("A foreign national minor: OTIP is notified within 24 hours of a suspected "
                       "case of labor trafficking, upon suspicion (003). If you suspect it, "
                       "confirm the suspicion, with what shows it.")


def _otip(s: Situation) -> list[tuple[str, str]]:
    """OTIP "upon suspicion" of sex or labor trafficking (criminal activity counts as labor,
    003): what was disclosed or what the worker suspects; never an element alone (work with no
    means of control, or a means with no work), a red flag or At-Risk (OTIP_UPON_SUSPICION
    then asks the worker)."""
    if s.context.foreign_national and any(s.suspected.values()):
        return [("otip_24h", "Foreign national minor with a concern of sex or labor trafficking "
                 "(criminal activity counts as labor trafficking, 003); report on suspicion.")]
    return []


def _screening(s: Situation) -> list[tuple[str, str]]:
    if s.screening and s.screening.required and not any(s.suspected.values()):
        return [("screen_for_cse", s.screening.explanation)]
    return []


def interview(s: Situation) -> list[tuple[str, str]]:
    context, disclosed = s.context, s.disclosed
    sex = disclosed["sex_trafficking"]
    labor_or_criminal = disclosed["labor_trafficking"] or disclosed["criminal_activity"]
    any_disclosure = any(disclosed.values())
    any_suspected = any(s.suspected.values())
    kinds = _forms(disclosed)
    # With the youth: basic needs first, and engagement after a denial; a caregiver interview or
    # the worker's checklists are not a contact with the youth (screen_for_cse is theirs).
    steps = [("basic_needs", "Always first, and never contingent on the interview.")] \
        if s.screens_youth else []
    if any_disclosure:
        steps.append(("report_hotline", f"Suspected: {kinds}."))
    elif any_suspected:
        steps.append(("report_hotline", f"Reasonable suspicion: {_forms(s.suspected)} "
                      "(every new and repeated incident is reported)."))
    if sex:  # identified as a victim of CSE
        services = context.child_welfare_services
        if services:
            steps.append(("law_enforcement_24h", "The child receives child welfare services and "
                          "is identified as a victim of CSE (PC 11166(j)(2))."))
        else:
            steps.append(("law_enforcement_cse", "A child is being commercially sexually "
                          "exploited (003)" + (
                              "." if services is False else "; if the child receives child "
                              "welfare services (record it in the case facts), this is also "
                              "PC 11166(j)(2): immediately or within 24 hours.")))
    if labor_or_criminal:
        steps.append(("law_enforcement_labor_criminal", "Disclosed: " + _forms(
            {k: v for k, v in disclosed.items() if k != "sex_trafficking"}) + "."))
    steps += _missing(s)
    steps += _otip(s)
    if s.suspected["sex_trafficking"]:
        steps += _response_step(s)
    else:
        steps += _routed_step(s)
    if sex or (s.at_risk_met and s.ongoing_mdt_for_at_risk):
        steps.append(("ongoing_mdt", "Identified as a victim of CSE." if sex else
                      "At risk of CSE: the county holds Ongoing MDTs for youth at risk too."))
    if s.response.speed == "immediate_crisis":
        steps.append(("medical_evaluation_72h", "Part of the Immediate Crisis response."))
    elif any_disclosure:
        steps.append(("medical_exam", f"Suspected {kinds}; refer as needed."))
    # 003 refers victims of CSE, or at high risk of it, to CSEC advocacy; of labor trafficking
    # (criminal activity included) to advocacy services: a county may have two providers.
    if sex or s.at_risk_met:
        steps.append(("advocacy_referral", "Suspected sex trafficking." if sex
                      else "The At-Risk definition is met (003 refers youth who are victims or "
                      "at high risk)."))
    if labor_or_criminal:
        steps.append(("labor_advocacy_referral", "Suspected " + _forms(
            {k: v for k, v in disclosed.items() if k != "sex_trafficking"}) + "."))
    if s.response.speed:  # the MDT's duty (002 IV.C): 003's labor and criminal steps have none
        steps.append(("safety_plan", "CSE suspected: part of the MDT response."))
    if sex:
        steps.append(("immediate_needs", "Identified as a victim of CSE."))
        if context.foreign_national:
            steps.append(("immigration_relief_screening", "A foreign national minor identified "
                          "as a victim of CSE."))
        steps.append(("social_media_search", "CSE suspected."))
    # 003's procedures for CSE and for criminal activity end with the court and the unit; its
    # procedure for labor trafficking does not.
    if sex or disclosed["criminal_activity"]:
        court = _forms({k: v for k, v in disclosed.items() if k != "labor_trafficking"})
        steps.append(("consider_specialized_court", f"Suspected {court}."))
        steps.append(("consider_csec_unit", f"Suspected {court}."))
    if sex or s.at_risk_met:
        steps.append(("case_plan_services", "A victim of CSE." if sex else "At risk of CSE."))
    if s.at_risk_met and not sex:  # a labor disclosure does not end the risk of CSE (003)
        steps.append(("preventive_services", "At risk of CSE, with no disclosure of it."))
    if s.csec_status:  # At-Risk when no commercial sex act was disclosed (csec_type.determine)
        steps.append(("document_csec_type", "At-Risk is proposed: it is the caseworker's "
                      "determination (001); confirm it." if not sex else {
                          "determined": "A CSEC Type applies.",
                          "proposed": "A CSEC Type is proposed: confirm when the child was "
                                      "exploited.",
                          "undetermined": "A Victim type applies once the case facts say when "
                                          "the child was exploited."}[s.csec_status]))
    # At risk of CSE and not disclosed it (whatever else was), or red flags and nothing told
    if s.screens_youth and not sex and (s.at_risk_met or (s.has_red_flags and not any_disclosure)):
        steps.append(("continue_engagement", "Red flags or risk without a disclosure of CSE: "
                      "youth often deny at first and disclose later."))
    if not s.screens_youth:
        steps += _screening(s)
    return steps


def hotline(s: Situation) -> list[tuple[str, str]]:
    """The screener's list: the response, cross-reports, then the referral's documentation."""
    context = s.context
    sex = s.suspected["sex_trafficking"]
    any_suspected = any(s.suspected.values())
    kinds = _forms(s.suspected)
    steps = _response_step(s) if sex else []
    if s.response.speed == "initial_mdt":
        steps.append(("initial_mdt_duties", "The Initial MDT is the response."))
    if any_suspected:
        where = label("jurisdictions", s.jurisdiction.agency).lower()
        steps.append(("contact_response_unit", f"Jurisdiction: {where}. {s.jurisdiction.reason}"))
        steps.append(("law_enforcement_cross_report", f"Suspected {kinds}: the hotline "
                      "cross-reports every allegation (PC 11166(j)(1))."))
    steps += _missing(s)
    steps += _otip(s)
    if sex:
        steps.append(("screener_alert", "CSE suspected."))
    if any_suspected:
        subcategories = [vocabulary().subcategory(form).label
                         for form, suspected in s.suspected.items() if suspected]
        steps.append(("abuse_category_exploitation", "Suspected: " + "; ".join(subcategories)
                      + ("; enter each as a separate allegation." if len(subcategories) > 1
                         else ".")))
    others = [a.replace("_", " ") for a in context.other_allegations]
    if context.caregiver_failed_to_protect and sex:  # the subcategory only once substantiated
        neglect = vocabulary().subcategory("sex_trafficking", "general_neglect")
        others.append(f"{label('abuse_categories', neglect.category)} (failed or unable to "
                      f"protect; {neglect.label} once substantiated)")
    if others:
        steps.append(("other_allegations", "Reported: " + ", ".join(others) + "."))
    if sex:
        steps.append(("notify_er_managers", "A referral with an allegation of CSE."))
        if context.from_another_county:
            steps.append(("notify_csec_coordinator", "A case from another county (parachute "
                          "case) involving CSE."))
    steps += _screening(s)
    steps.append(("sdm_response_time", "Every referral: " + (
        "the MDT tier above sets the CSE response; SDM decides the rest."
        if sex else "CSE is not suspected, so SDM sets the response time.")))
    return steps
