"""How fast the team responds, and whose jurisdiction the youth is in (002, MOU Template
IV.A-IV.D: the hotline determines "the speed of the response, either Immediate Crisis or Initial
MDT" and "jurisdiction (either child welfare/probation/unknown)").

- Immediate Crisis: CSE suspected or confirmed *and* an immediate safety concern, or a medical
  professional treating the child in an emergency room suspects or confirms sex trafficking
  (IV.C.1.B(i)-(iv)); the team engages within 2 hours and supports the youth through the first
  72 hours (IV.A.1, IV.C).
- Initial MDT: CSE suspected with no immediate safety risk; convened within 10 days (IV.D).
- Jurisdiction: child welfare when the youth is a dependent (WIC 300), dual status with child
  welfare leading, or under no agency but alleged to be abused, neglected or exploited;
  probation when the youth is a ward (WIC 602) or dual status with probation leading (IV.C).

The times are the MOU template's (the CSEC Action Team's recommendation, 002 footnotes 32, 35),
and a county's MOU may set its own: they are county configuration (m.County), in the deadlines
of the next-step catalog, never in the reasons here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from interview.content.vocabulary import label
from interview.record import Context

SOURCE = "002 § IV. Multidisciplinary Response › C. Immediate Crisis Multidisciplinary Team"
# The case facts these rules read (interview/content/model.py FACT_TYPES).
FACTS = ("immediate_safety_concern", "emergency_room_report", "agency", "case_status",
         "receiving_child_welfare_services")
SPEED_STEPS = {"immediate_crisis": "immediate_crisis_mdt", "initial_mdt": "initial_mdt"}


@dataclass(frozen=True, slots=True)
class Response:
    speed: str | None          # "immediate_crisis", "initial_mdt", or None (CSE not suspected)
    reason: str
    safety_concern: bool | None
    # An interview started from a hotline screen: how the hotline routed the referral
    # (interview.handoff.reported_json's "routing": tier, label, deadline, on). A fact about
    # the referral, not this interview's finding: while the interview's own findings set no
    # tier, its step is proposed as the hotline's (next_steps._routed_step).
    hotline: dict | None = None
    # The worker's own finding that CSE is not suspected (their reason), which the routing of a
    # referral does not outlast: it then proposes nothing (the second review, A1).
    overruled: str = ""

    def as_json(self, library) -> dict:
        step = SPEED_STEPS.get(self.speed or "")
        spec = library.next_steps.get(step) if step else None
        label = library.vocabulary.label("response_tiers", self.speed)
        if self.speed is None and self.hotline and not self.overruled:
            label = f"{self.hotline['label']}, as the hotline routed the referral"  # never "No
            # MDT response" beside a routing that stands
        return {"speed": self.speed, "label": label, "next_step": step,
                "deadline": spec.deadline if spec else None, "reason": self.reason,
                "safety_concern": self.safety_concern,
                "source": spec.source if spec else SOURCE,
                **({"hotline": self.hotline} if self.hotline else {}),
                **({"overruled": self.overruled} if self.overruled else {})}


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    agency: str                # "child_welfare", "probation" or "unknown"
    reason: str

    def as_json(self) -> dict:
        return {"agency": self.agency, "label": label("jurisdictions", self.agency),
                "reason": self.reason, "source": SOURCE}


def speed(context: Context, cse_suspected: bool) -> Response:
    safety = context.immediate_safety_concern
    if not cse_suspected:
        return Response(None, "CSE is not suspected, so no MDT tier applies; the referral's "
                        "response time comes from the hotline's usual (SDM) tools.", safety)
    if context.emergency_room_report:
        return Response("immediate_crisis", "A medical professional treating the child in an "
                        "emergency room suspects or confirms sex trafficking (002 MOU IV.C.1.B(iv)): "
                        "the Immediate Crisis response"
                        + (", whatever the safety question says." if safety is not True else "."),
                        safety)
    if safety:
        return Response("immediate_crisis", "CSE is suspected and there is an immediate safety "
                        "concern: the Immediate Crisis response.",
                        True)
    if safety is False:
        return Response("initial_mdt", "CSE is suspected and no immediate safety risk is "
                        "present: convene the Initial MDT.", False)
    return Response("initial_mdt", "CSE is suspected; no immediate safety concern is recorded "
                    "yet. If there is one, the response is Immediate Crisis.",
                    None)


def routed(response: Response, hotline: dict | None, rejected: str = "") -> Response:
    """The response of an interview started from a hotline screen that routed the referral
    (002 MOU IV.D: the hotline determines the speed of the response): the routing stands while
    this interview's own findings set no tier, and the response never reads "no MDT tier" on a
    referral the hotline routed; the worker's own findings decide anything further. `rejected`:
    the worker's reason for finding CSE not suspected, after which the routing is only said."""
    if not hotline:
        return response
    said = (f"The hotline routed this referral as {hotline['label']} on {hotline['on']}"
            + (f" ({hotline['deadline']})" if hotline.get("deadline") else ""))
    if response.speed is None and rejected:
        return replace(response, hotline=hotline, overruled=rejected, reason=(
            f"{said}. The worker found CSE not suspected ({rejected}): no MDT tier follows "
            "from this interview's findings."))
    if response.speed is None:
        return replace(response, hotline=hotline, reason=(
            f"{said}. That routing stands: CSE is not suspected on this interview's own "
            "findings so far, and they decide anything further."))
    if response.speed != hotline["tier"]:
        return replace(response, hotline=hotline, reason=f"{response.reason} {said}.")
    return replace(response, hotline=hotline)


AGENCY_REASONS = {
    "child_welfare": ("child_welfare", "The youth is a dependent (WIC 300) or receives child "
                      "welfare services."),
    "dual_child_welfare_lead": ("child_welfare", "Dual status (WIC 241.1) with child welfare "
                                "as the lead agency."),
    "no_agency": ("child_welfare", "The youth is under no agency's jurisdiction and is alleged "
                  "to be a victim of abuse, neglect or exploitation."),
    "probation": ("probation", "The youth is a ward on probation (WIC 602)."),
    "dual_probation_lead": ("probation", "Dual status (WIC 241.1) with probation as the lead "
                            "agency."),
}


def jurisdiction(context: Context) -> Jurisdiction:
    if context.agency in AGENCY_REASONS:
        return Jurisdiction(*AGENCY_REASONS[context.agency])
    if (context.case_status in ("in_foster_care", "open_case_not_in_foster_care")
            or context.receiving_child_welfare_services):
        return Jurisdiction("child_welfare", "The case facts show an open child welfare case. "
                            "If the youth is also on probation (dual status, WIC 241.1), record "
                            "which agency leads.")
    return Jurisdiction("unknown", "Not known yet: ask whether the youth is a dependent "
                        "(WIC 300), on probation (WIC 602), dual status (WIC 241.1, and which "
                        "agency leads), or under no agency.")
