"""Which next steps apply, and why. Wording, who and deadlines live in the catalog YAML."""

from __future__ import annotations

from interview.engine.record import Context


def applicable(context: Context, disclosed: dict[str, bool], at_risk_met: bool,
               has_red_flags: bool, sex_or_labor_concern: bool,
               has_csec_type: bool) -> list[tuple[str, str]]:
    """(next-step id, reason) pairs, in the order they should be done."""
    sex = disclosed["sex_trafficking"]
    any_disclosure = any(disclosed.values())
    kinds = ", ".join(k.replace("_", " ") for k, v in disclosed.items() if v)
    steps = [("basic_needs", "Always first, and never contingent on the interview.")]
    if any_disclosure:
        steps.append(("report_hotline", f"Suspected: {kinds}."))
        steps.append(("law_enforcement_24h",
                      f"Suspected {kinds}"
                      + ("; the child receives child welfare services (PC 11166(j)(2))."
                         if context.in_child_welfare else "; contact law enforcement immediately.")))
    if context.missing and (any_disclosure or at_risk_met):
        steps.append(("ncmec_24h", "The child is missing and "
                      + ("exploitation is suspected." if any_disclosure else "is at risk.")))
    if context.foreign_national and sex_or_labor_concern:
        steps.append(("otip_24h", "Foreign national minor with a concern of sex or labor "
                      "trafficking; report on suspicion."))
    if sex:
        if context.immediate_safety_concern:
            steps.append(("immediate_crisis_mdt", "CSE suspected with an immediate safety concern."))
        else:
            steps.append(("initial_mdt", "CSE suspected; no immediate safety concern recorded."))
    if any_disclosure:
        steps.append(("medical_exam", f"Suspected {kinds}."))
    if any_disclosure or at_risk_met:
        steps.append(("advocacy_referral", "Exploitation suspected." if any_disclosure
                      else "At risk (high risk) of exploitation."))
    if any_disclosure:
        steps.append(("safety_plan", f"Suspected {kinds}."))
    if sex:
        steps.append(("social_media_search", "CSE suspected."))
    if any_disclosure:
        steps.append(("consider_specialized_court", f"Suspected {kinds}."))
        steps.append(("consider_csec_unit", f"Suspected {kinds}."))
    if at_risk_met and not any_disclosure:
        steps.append(("preventive_services", "At risk, with no disclosure."))
    if has_csec_type:
        steps.append(("document_csec_type", "A CSEC Type applies."))
    if not any_disclosure and (at_risk_met or has_red_flags):
        steps.append(("continue_engagement", "Red flags or risk without a disclosure: youth "
                      "often deny at first and disclose later."))
    return steps
