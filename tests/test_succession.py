"""The succession engine: roles, bench, the NPQ deadline, who can lead training, and the
risks, each built from hand-made facts (no database) with the exact outcome asserted."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sencoplan.domain.codes import NeedType
from sencoplan.domain.models import (
    Candidate,
    DevelopmentAction,
    Module,
    Qualification,
    School,
    StaffMember,
    SuccessionRole,
)
from sencoplan.domain.sessions import CpdSession, SessionStatus
from sencoplan.domain.staff_codes import Provider, Role
from sencoplan.domain.succession import (
    Risk,
    RiskKind,
    SchoolFacts,
    Severity,
    effective_roles,
    lacks_deputy,
    module_leaders,
    npq_standing,
    qualification_text,
    review_school,
    school_risks,
    trained_to_lead,
    trust_risks,
)
from sencoplan.domain.succession_codes import (
    ActionStatus,
    QualificationKind,
    QualificationStatus,
    Readiness,
    SuccessionRoleKind,
)
from sencoplan.io.succession_report import succession_markdown

TODAY = dt.date(2026, 11, 23)
OAK = School(id=1, name="Oakfield Primary School")
RIVER = School(id=2, name="Riverside Academy")

SENCO_ID, DEPUTY_ID, TEACHER_ID, TA_ID, LP_ID = 1, 2, 3, 4, 5


def member(
    staff_id: int,
    name: str,
    role: Role,
    *,
    school_id: int = 1,
    start: dt.date | None = None,
) -> StaffMember:
    return StaffMember(id=staff_id, school_id=school_id, name=name, role=role, start_date=start)


def team() -> dict[int, StaffMember]:
    people = [
        member(SENCO_ID, "Sam Senco", Role.SENCO, start=dt.date(2020, 9, 1)),
        member(DEPUTY_ID, "Dee Deputy", Role.DEPUTY_SENCO, start=dt.date(2021, 9, 1)),
        member(TEACHER_ID, "Tom Teacher", Role.TEACHER),
        member(TA_ID, "Tia Assistant", Role.TA),
        member(LP_ID, "Lou Lead", Role.LEAD_PRACTITIONER, start=dt.date(2019, 1, 7)),
    ]
    return {m.id: m for m in people if m.id is not None}


def senco_role(
    *, since: dt.date | None = dt.date(2024, 5, 23), holder: int | None = SENCO_ID
) -> SuccessionRole:
    return SuccessionRole(
        id=1,
        school_id=1,
        kind=SuccessionRoleKind.SENCO,
        title="SENCO",
        holder_id=holder,
        holder_since=since,
    )


def deputy_role(holder: int | None = DEPUTY_ID) -> SuccessionRole:
    return SuccessionRole(
        id=2,
        school_id=1,
        kind=SuccessionRoleKind.DEPUTY_SENCO,
        title="Deputy SENCO",
        holder_id=holder,
    )


def facts(
    *,
    staff: dict[int, StaffMember] | None = None,
    roles: list[SuccessionRole] | None = None,
    school: School = OAK,
    **more: object,
) -> SchoolFacts:
    people = team() if staff is None else staff
    chosen = [senco_role(), deputy_role()] if roles is None else roles
    result = SchoolFacts(school=school, staff=people, roles=chosen)
    for name, value in more.items():
        setattr(result, name, value)
    return result


def held(staff_id: int, kind: QualificationKind) -> Qualification:
    return Qualification(staff_id=staff_id, kind=kind, status=QualificationStatus.HELD)


def studying(staff_id: int, expected: dt.date | None) -> Qualification:
    return Qualification(
        staff_id=staff_id,
        kind=QualificationKind.NPQ_SENCO,
        status=QualificationStatus.STUDYING,
        expected=expected,
    )


def of_kind(risks: Iterable[Risk], kind: RiskKind) -> list[Risk]:
    return [risk for risk in risks if risk.kind is kind]


def module(
    module_id: int,
    code: str,
    needs: Sequence[NeedType] = (NeedType.ASD,),
    *,
    provider: Provider = Provider.INTERNAL,
    trains_leaders: bool = False,
    title: str | None = None,
) -> Module:
    return Module(
        id=module_id,
        code=code,
        title=title or f"{code} course",
        needs=tuple(needs),
        provider=provider,
        trains_leaders=trains_leaders,
    )


def session(
    *facilitators: int,
    status: SessionStatus = SessionStatus.PLANNED,
    day: dt.date = dt.date(2026, 12, 2),
) -> CpdSession:
    return CpdSession(
        term_id=1,
        school_id=1,
        day=day,
        start=dt.time(15, 30),
        minutes=60,
        module_id=1,
        status=status,
        facilitators=facilitators,
    )


# --- The NPQ for SENCOs ---------------------------------------------------------------

NPQ_CLEAR = (
    "enrol on the NPQ for SENCOs and record it as a qualification being studied, "
    "with the date it should be complete"
)


def npq_risks(*qualifications: Qualification, role: SuccessionRole | None = None) -> list[Risk]:
    chosen = role or senco_role()
    found = school_risks(
        facts(roles=[chosen, deputy_role()], qualifications=list(qualifications)), TODAY
    )
    return of_kind(found, RiskKind.NPQ_DUE)


def test_a_senco_30_months_in_without_the_npq_has_6_months_left() -> None:
    assert npq_risks() == [
        Risk(
            1,
            RiskKind.NPQ_DUE,
            Severity.HIGH,
            "NPQ for SENCOs",
            "Sam Senco (SENCO) holds neither the NPQ for SENCOs nor NASENCO; "
            "required by 23/05/2027: 6 months left",
            NPQ_CLEAR,
            dt.date(2027, 5, 23),
        )
    ]


def test_nasenco_exempts_the_senco() -> None:
    assert npq_risks(held(SENCO_ID, QualificationKind.NASENCO)) == []


def test_holding_the_npq_meets_it() -> None:
    assert npq_risks(held(SENCO_ID, QualificationKind.NPQ_SENCO)) == []


def test_someone_elses_nasenco_or_npq_does_not_exempt_the_senco() -> None:
    found = npq_risks(
        held(DEPUTY_ID, QualificationKind.NASENCO), held(TEACHER_ID, QualificationKind.NPQ_SENCO)
    )
    assert [r.severity for r in found] == [Severity.HIGH]


def test_studying_nasenco_is_not_holding_it() -> None:
    studying_nasenco = Qualification(
        staff_id=SENCO_ID, kind=QualificationKind.NASENCO, status=QualificationStatus.STUDYING
    )
    assert [r.severity for r in npq_risks(studying_nasenco)] == [Severity.HIGH]


def test_studying_the_npq_expected_before_the_deadline_is_watched() -> None:
    assert npq_risks(studying(SENCO_ID, dt.date(2027, 4, 30))) == [
        Risk(
            1,
            RiskKind.NPQ_DUE,
            Severity.WATCH,
            "NPQ for SENCOs",
            "Sam Senco (SENCO) is studying the NPQ for SENCOs, expected 30/04/2027; "
            "required by 23/05/2027: 6 months left",
            "complete the NPQ",
            dt.date(2027, 5, 23),
        )
    ]


def test_studying_the_npq_expected_on_the_deadline_is_on_track() -> None:
    (risk,) = npq_risks(studying(SENCO_ID, dt.date(2027, 5, 23)))
    assert risk.severity is Severity.WATCH


def test_studying_the_npq_expected_after_the_deadline_is_high() -> None:
    assert npq_risks(studying(SENCO_ID, dt.date(2027, 7, 31))) == [
        Risk(
            1,
            RiskKind.NPQ_DUE,
            Severity.HIGH,
            "NPQ for SENCOs",
            "Sam Senco (SENCO) is studying the NPQ for SENCOs, expected 31/07/2027; "
            "required by 23/05/2027: 6 months left",
            "complete the NPQ before the deadline",
            dt.date(2027, 5, 23),
        )
    ]


def test_the_latest_expected_date_counts_when_studying_twice() -> None:
    (risk,) = npq_risks(
        studying(SENCO_ID, dt.date(2027, 4, 30)), studying(SENCO_ID, dt.date(2027, 7, 31))
    )
    assert risk.severity is Severity.HIGH
    assert "expected 31/07/2027" in risk.what


def test_a_passed_deadline_says_how_many_months_ago() -> None:
    (risk,) = npq_risks(role=senco_role(since=dt.date(2023, 5, 23)))
    assert risk == Risk(
        1,
        RiskKind.NPQ_DUE,
        Severity.HIGH,
        "NPQ for SENCOs",
        "Sam Senco (SENCO) holds neither the NPQ for SENCOs nor NASENCO; "
        "it was required by 23/05/2026, 6 months ago",
        NPQ_CLEAR,
        dt.date(2026, 5, 23),
    )


def test_without_holder_since_the_deadline_runs_from_the_staff_start_date() -> None:
    staff = team()
    staff[SENCO_ID] = member(SENCO_ID, "Sam Senco", Role.SENCO, start=dt.date(2024, 5, 23))
    found = school_risks(facts(staff=staff, roles=[senco_role(since=None)]), TODAY)
    (risk,) = of_kind(found, RiskKind.NPQ_DUE)
    assert risk.due == dt.date(2027, 5, 23)
    assert risk.what.endswith("required by 23/05/2027: 6 months left")


def test_with_no_date_at_all_the_risk_says_so() -> None:
    staff = team()
    staff[SENCO_ID] = member(SENCO_ID, "Sam Senco", Role.SENCO, start=None)
    found = school_risks(facts(staff=staff, roles=[senco_role(since=None)]), TODAY)
    assert of_kind(found, RiskKind.NPQ_DUE) == [
        Risk(
            1,
            RiskKind.NPQ_DUE,
            Severity.HIGH,
            "NPQ for SENCOs",
            "Sam Senco (SENCO) holds neither the NPQ for SENCOs nor NASENCO; "
            "the date they took the post is not recorded",
            NPQ_CLEAR,
            None,
        )
    ]


def test_only_a_held_senco_role_needs_the_npq() -> None:
    deputy_without_npq = deputy_role()
    assert npq_risks(role=senco_role(holder=None)) == []
    found = school_risks(facts(roles=[deputy_without_npq]), TODAY)
    assert of_kind(found, RiskKind.NPQ_DUE) == []


def test_npq_standing() -> None:
    standing = npq_standing(senco_role(), [studying(SENCO_ID, dt.date(2027, 1, 1))], team())
    assert standing.required_by == dt.date(2027, 5, 23)
    assert standing.studying_until == dt.date(2027, 1, 1)
    assert not standing.met
    exempt = npq_standing(senco_role(), [held(SENCO_ID, QualificationKind.NASENCO)], team())
    assert exempt.exempt and exempt.met and not exempt.holds_npq


def test_a_missed_deadline_is_high_even_while_studying() -> None:
    (risk,) = npq_risks(
        studying(SENCO_ID, dt.date(2026, 3, 31)), role=senco_role(since=dt.date(2023, 5, 23))
    )
    assert "6 months ago" in risk.what
    assert risk.severity is Severity.HIGH


def test_studying_without_an_expected_date_is_not_told_to_enrol() -> None:
    (risk,) = npq_risks(studying(SENCO_ID, None))
    assert "is studying the NPQ for SENCOs" in risk.what
    assert "enrol" not in risk.clear_by


def test_one_month_left_reads_in_the_singular() -> None:
    (risk,) = npq_risks(role=senco_role(since=dt.date(2023, 12, 23)))
    assert risk.what.endswith("required by 23/12/2026: 1 month left")


# --- Roles every school has, and roles the staff list implies ---------------------------


def test_an_empty_school_keeps_a_vacant_senco_and_deputy() -> None:
    assert effective_roles([], {}, 1) == [
        SuccessionRole(school_id=1, kind=SuccessionRoleKind.SENCO, title="SENCO"),
        SuccessionRole(school_id=1, kind=SuccessionRoleKind.DEPUTY_SENCO, title="Deputy SENCO"),
    ]


def test_the_staff_list_implies_the_senco_and_the_deputy_stays_vacant() -> None:
    staff = {
        1: member(1, "Sam Senco", Role.SENCO, start=dt.date(2024, 5, 23)),
        3: member(3, "Tom Teacher", Role.TEACHER),
    }
    assert effective_roles([], staff, 1) == [
        SuccessionRole(
            school_id=1,
            kind=SuccessionRoleKind.SENCO,
            title="SENCO",
            holder_id=1,
            holder_since=dt.date(2024, 5, 23),
        ),
        SuccessionRole(school_id=1, kind=SuccessionRoleKind.DEPUTY_SENCO, title="Deputy SENCO"),
    ]


def test_stored_roles_win_over_implied_ones() -> None:
    stored = SuccessionRole(
        id=7, school_id=1, kind=SuccessionRoleKind.SENCO, title="SENDCo", holder_id=TEACHER_ID
    )
    elsewhere = SuccessionRole(
        id=8, school_id=2, kind=SuccessionRoleKind.DEPUTY_SENCO, title="Deputy SENCO", holder_id=9
    )
    roles = effective_roles([stored, elsewhere], team(), 1)
    assert [(r.id, r.kind, r.title, r.holder_id) for r in roles] == [
        (7, SuccessionRoleKind.SENCO, "SENDCo", TEACHER_ID),
        (None, SuccessionRoleKind.DEPUTY_SENCO, "Deputy SENCO", DEPUTY_ID),
        (None, SuccessionRoleKind.LEAD_PRACTITIONER, "Lead practitioner (Lou Lead)", LP_ID),
    ]


def test_a_vacant_stored_senco_role_is_not_filled_from_the_staff_list() -> None:
    vacant = senco_role(holder=None)
    roles = effective_roles([vacant], team(), 1)
    assert [(r.kind, r.holder_id) for r in roles if r.kind is SuccessionRoleKind.SENCO] == [
        (SuccessionRoleKind.SENCO, None)
    ]


def test_lead_practitioners_are_implied_one_per_person() -> None:
    staff = {
        1: member(1, "Zoe Zed", Role.LEAD_PRACTITIONER, start=dt.date(2018, 9, 1)),
        2: member(2, "Amy Ash", Role.LEAD_PRACTITIONER),
        3: member(3, "Ann Assist", Role.ASSISTANT_SENCO),
    }
    roles = effective_roles([], staff, 1)
    assert [(r.kind, r.title, r.holder_id, r.holder_since) for r in roles] == [
        (SuccessionRoleKind.SENCO, "SENCO", None, None),
        (SuccessionRoleKind.DEPUTY_SENCO, "Deputy SENCO", None, None),
        (SuccessionRoleKind.ASSISTANT_SENCO, "Assistant SENCO", 3, None),
        (SuccessionRoleKind.LEAD_PRACTITIONER, "Lead practitioner (Amy Ash)", 2, None),
        (
            SuccessionRoleKind.LEAD_PRACTITIONER,
            "Lead practitioner (Zoe Zed)",
            1,
            dt.date(2018, 9, 1),
        ),
    ]


def test_a_saved_lead_practitioner_role_does_not_hide_the_others() -> None:
    staff = {
        1: member(1, "Zoe Zed", Role.LEAD_PRACTITIONER),
        2: member(2, "Amy Ash", Role.LEAD_PRACTITIONER),
    }
    saved = SuccessionRole(
        id=4,
        school_id=1,
        kind=SuccessionRoleKind.LEAD_PRACTITIONER,
        title="Lead practitioner: SLCN",
        holder_id=1,
    )
    roles = effective_roles([saved], staff, 1)
    leads = [
        (r.title, r.holder_id) for r in roles if r.kind is SuccessionRoleKind.LEAD_PRACTITIONER
    ]
    assert leads == [("Lead practitioner (Amy Ash)", 2), ("Lead practitioner: SLCN", 1)]


def test_a_vacant_role_is_one_vacant_risk_not_also_a_bench_risk() -> None:
    vacant_deputy = deputy_role(holder=None)
    vacant_lead = SuccessionRole(
        id=3,
        school_id=1,
        kind=SuccessionRoleKind.LEAD_PRACTITIONER,
        title="Lead practitioner: autism",
    )
    candidate = Candidate(role_id=2, staff_id=TEACHER_ID, readiness=Readiness.THREE_PLUS_YEARS)
    found = school_risks(
        facts(
            roles=[senco_role(), vacant_deputy, vacant_lead],
            qualifications=[held(SENCO_ID, QualificationKind.NASENCO)],
            candidates=[candidate, Candidate(role_id=1, staff_id=DEPUTY_ID)],
        ),
        TODAY,
    )
    about = [r for r in found if r.subject in {"Deputy SENCO", "Lead practitioner: autism"}]
    assert about == [
        Risk(
            1,
            RiskKind.VACANT,
            Severity.HIGH,
            "Deputy SENCO",
            "Oakfield Primary School has no Deputy SENCO",
            "appoint a Deputy SENCO, or name a candidate and the development that gets them there",
        ),
        Risk(
            1,
            RiskKind.VACANT,
            Severity.MEDIUM,
            "Lead practitioner: autism",
            "Oakfield Primary School has no Lead practitioner: autism",
            "appoint a Lead practitioner: autism, or name a candidate and the development "
            "that gets them there",
        ),
    ]


def test_lacks_deputy() -> None:
    assert lacks_deputy(facts(roles=[senco_role(), deputy_role(holder=None)]))
    assert lacks_deputy(facts(roles=[senco_role()]))
    assert not lacks_deputy(facts())


# --- The bench ------------------------------------------------------------------------


def test_the_bench_is_readiest_first_then_by_name() -> None:
    staff = team()
    staff[6] = member(6, "Abe Able", Role.TEACHER)
    bench = [
        Candidate(role_id=1, staff_id=TA_ID, readiness=Readiness.THREE_PLUS_YEARS),
        Candidate(role_id=1, staff_id=TEACHER_ID, readiness=Readiness.READY_NOW),
        Candidate(role_id=1, staff_id=LP_ID, readiness=Readiness.ONE_TO_TWO_YEARS),
        Candidate(role_id=1, staff_id=6, readiness=Readiness.READY_NOW),
        Candidate(role_id=2, staff_id=TA_ID, readiness=Readiness.READY_NOW),
    ]
    result = facts(staff=staff, candidates=bench)
    assert [(c.staff_id, c.readiness) for c in result.bench(senco_role())] == [
        (6, Readiness.READY_NOW),
        (TEACHER_ID, Readiness.READY_NOW),
        (LP_ID, Readiness.ONE_TO_TWO_YEARS),
        (TA_ID, Readiness.THREE_PLUS_YEARS),
    ]
    implied = senco_role().model_copy(update={"id": None})
    assert result.bench(implied) == []


def bench_risks(
    *readiness: Readiness,
    role: SuccessionRole | None = None,
    actions: list[DevelopmentAction] | None = None,
) -> list[Risk]:
    chosen = role or senco_role()
    people = [TEACHER_ID, TA_ID, LP_ID]
    bench = [
        Candidate(role_id=chosen.id or 0, staff_id=person, readiness=ready)
        for person, ready in zip(people, readiness, strict=False)
    ]
    found = school_risks(facts(roles=[chosen], candidates=bench, actions=actions or []), TODAY)
    return of_kind(found, RiskKind.NO_READY_CANDIDATE)


NO_READY_CLEAR = (
    "name a candidate ready now, or one ready in 1–2 years with a development action "
    "planned for them"
)


def _plan_for(staff_id: int, status: str = "planned") -> DevelopmentAction:
    return DevelopmentAction(
        school_id=1, staff_id=staff_id, action="Shadow the SENCO", status=ActionStatus(status)
    )


def test_no_candidate_for_the_senco_is_high() -> None:
    assert bench_risks() == [
        Risk(
            1,
            RiskKind.NO_READY_CANDIDATE,
            Severity.HIGH,
            "SENCO",
            "no one could step in for Sam Senco within 2 years",
            NO_READY_CLEAR,
        )
    ]


def test_candidates_3_plus_years_away_do_not_clear_it() -> None:
    (one,) = bench_risks(Readiness.THREE_PLUS_YEARS)
    assert (
        one.what == "no one could step in for Sam Senco within 2 years (1 candidate 3+ years away)"
    )
    (two,) = bench_risks(Readiness.THREE_PLUS_YEARS, Readiness.THREE_PLUS_YEARS)
    assert two.what.endswith("(2 candidates 3+ years away)")


def test_a_candidate_ready_now_clears_it() -> None:
    assert bench_risks(Readiness.READY_NOW) == []
    assert bench_risks(Readiness.THREE_PLUS_YEARS, Readiness.READY_NOW) == []


def test_one_ready_in_two_years_clears_it_only_with_development_planned() -> None:
    """A name alone is not a plan (issue 18): 1–2 years away needs an open action."""
    (alone,) = bench_risks(Readiness.ONE_TO_TWO_YEARS)
    assert alone.what.endswith("1–2 years away with no development action planned)")
    assert bench_risks(Readiness.ONE_TO_TWO_YEARS, actions=[_plan_for(TEACHER_ID)]) == []
    done = [_plan_for(TEACHER_ID, "done")]
    assert len(bench_risks(Readiness.ONE_TO_TWO_YEARS, actions=done)) == 1
    someone_else = [_plan_for(TA_ID)]
    assert len(bench_risks(Readiness.ONE_TO_TWO_YEARS, actions=someone_else)) == 1


def test_for_other_roles_no_candidate_is_medium() -> None:
    assert bench_risks(role=deputy_role()) == [
        Risk(
            1,
            RiskKind.NO_READY_CANDIDATE,
            Severity.MEDIUM,
            "Deputy SENCO",
            "no one could step in for Dee Deputy within 2 years",
            NO_READY_CLEAR,
        )
    ]


def test_a_candidate_who_has_left_does_not_count() -> None:
    staff = team()
    del staff[TEACHER_ID]  # left: school_facts keeps only the staff in post
    ready_leaver = Candidate(role_id=1, staff_id=TEACHER_ID, readiness=Readiness.READY_NOW)
    found = school_risks(facts(staff=staff, candidates=[ready_leaver]), TODAY)
    assert [r.subject for r in of_kind(found, RiskKind.NO_READY_CANDIDATE)] == [
        "SENCO",
        "Deputy SENCO",
    ]


def test_a_role_whose_holder_has_left_is_vacant() -> None:
    staff = team()
    del staff[DEPUTY_ID]
    found = school_risks(facts(staff=staff), TODAY)
    about = [(r.kind, r.severity) for r in found if r.subject == "Deputy SENCO"]
    assert about == [(RiskKind.VACANT, Severity.HIGH)]
    assert all("nobody" not in r.what for r in found)


# --- Who can lead each module -------------------------------------------------------------

LEAVER_ID = 99


def test_module_leaders_are_the_named_and_the_holders_in_leading_roles() -> None:
    modules = [module(1, "AUT-U"), module(2, "SLCN-U", (NeedType.SLCN,))]
    holders = {1: {SENCO_ID, TA_ID, LEAVER_ID}, 2: {TEACHER_ID, LP_ID}}
    named = {1: {TEACHER_ID, LEAVER_ID}, 2: {TA_ID}}
    assert module_leaders(modules, team(), holders, named) == {
        1: {SENCO_ID, TEACHER_ID},
        2: {LP_ID, TA_ID},
    }


def test_a_module_without_an_id_or_anyone_is_led_by_no_one() -> None:
    unsaved = Module(code="NEW", title="New", needs=(NeedType.ASD,))
    assert module_leaders([unsaved, module(3, "X")], team(), {}, {}) == {3: set()}


def leading_risks(
    modules: list[Module],
    holders: dict[int, set[int]] | None = None,
    named: dict[int, set[int]] | None = None,
    needs: dict[NeedType, int] | None = None,
) -> list[Risk]:
    found = school_risks(
        facts(
            modules=modules,
            holders=holders or {},
            named_leaders=named or {},
            needs_on_roll=needs or {},
        ),
        TODAY,
    )
    kinds = {RiskKind.SINGLE_LEADER, RiskKind.NO_LEADER_FOR_NEED}
    return [r for r in found if r.kind in kinds]


def test_one_leader_of_an_internal_module_is_a_single_point_of_failure() -> None:
    modules = [module(1, "AUT-U", title="Autism awareness")]
    assert leading_risks(modules, named={1: {TEACHER_ID}}) == [
        Risk(
            1,
            RiskKind.SINGLE_LEADER,
            Severity.MEDIUM,
            "AUT-U",
            "only Tom Teacher can lead AUT-U Autism awareness",
            "train or name a second person to lead it",
        )
    ]


def test_a_ta_holding_a_module_is_not_a_second_leader_unless_named() -> None:
    modules = [module(1, "AUT-U")]
    holders = {1: {SENCO_ID, TA_ID}}
    assert [r.subject for r in leading_risks(modules, holders)] == ["AUT-U"]
    assert leading_risks(modules, holders, named={1: {TA_ID}}) == []


def test_a_leaver_is_not_a_second_leader() -> None:
    modules = [module(1, "AUT-U")]
    (risk,) = leading_risks(modules, {1: {SENCO_ID}}, named={1: {LEAVER_ID}})
    assert risk.what == "only Sam Senco can lead AUT-U AUT-U course"


def test_an_external_module_with_one_leader_is_no_risk() -> None:
    modules = [module(1, "AUT-X", provider=Provider.EXTERNAL)]
    assert leading_risks(modules, named={1: {TEACHER_ID}}) == []


def test_a_need_on_roll_that_no_one_can_lead_training_in_is_medium() -> None:
    modules = [
        module(1, "AUT-U"),
        module(2, "AUT-T"),
        module(3, "ALL-U", tuple(NeedType)),
        module(4, "SLCN-U", (NeedType.SLCN,)),
    ]
    holders = {3: {SENCO_ID, DEPUTY_ID}, 4: {SENCO_ID, DEPUTY_ID}}
    assert leading_risks(modules, holders, needs={NeedType.ASD: 7, NeedType.SLCN: 3}) == [
        Risk(
            1,
            RiskKind.NO_LEADER_FOR_NEED,
            Severity.MEDIUM,
            "ASD",
            "ASD is on roll but no one here can lead AUT-U, AUT-T",
            "grow a lead practitioner in it (a development action), or buy training in",
        )
    ]
    holders[2] = {SENCO_ID, DEPUTY_ID}
    assert leading_risks(modules, holders, needs={NeedType.ASD: 7}) == []


def test_a_need_with_no_internal_module_is_watched() -> None:
    modules = [
        module(1, "AUT-X", provider=Provider.EXTERNAL),
        module(3, "ALL-U", tuple(NeedType)),
    ]
    holders = {3: {SENCO_ID, DEPUTY_ID}}
    assert leading_risks(modules, holders, needs={NeedType.ASD: 2}) == [
        Risk(
            1,
            RiskKind.NO_LEADER_FOR_NEED,
            Severity.WATCH,
            "ASD",
            "ASD is on roll and the catalogue has no internal module for it",
            "buy training in when it is needed, or write an internal module",
        )
    ]


def test_no_specialist_assessment_and_needs_no_longer_on_roll_are_never_a_risk() -> None:
    assert leading_risks([module(1, "NSA-U", (NeedType.NSA,))], needs={NeedType.NSA: 40}) == []
    assert leading_risks([], needs={NeedType.NSA: 40, NeedType.HI: 0}) == []


# --- Trained to lead adult learning --------------------------------------------------------


def test_trained_to_lead_is_who_holds_a_module_that_trains_leaders() -> None:
    modules = [module(1, "AUT-U"), module(9, "LEAD-CPD", trains_leaders=True)]
    holders = {1: {SENCO_ID, TA_ID}, 9: {DEPUTY_ID, LEAVER_ID}}
    assert trained_to_lead(modules, holders) == {DEPUTY_ID, LEAVER_ID}
    assert trained_to_lead(modules, {1: {SENCO_ID}}) == set()


def untrained(sessions: list[CpdSession], holders: dict[int, set[int]]) -> list[Risk]:
    modules = [module(1, "AUT-U"), module(9, "LEAD-CPD", trains_leaders=True)]
    found = school_risks(
        facts(modules=modules, holders=holders, sessions=sessions, named_leaders={1: {TA_ID}}),
        TODAY,
    )
    return of_kind(found, RiskKind.UNTRAINED_LEADER)


def test_an_untrained_facilitator_is_a_risk() -> None:
    sessions = [session(TEACHER_ID), session(TEACHER_ID, DEPUTY_ID)]
    assert untrained(sessions, {1: {TEACHER_ID}, 9: {DEPUTY_ID}}) == [
        Risk(
            1,
            RiskKind.UNTRAINED_LEADER,
            Severity.MEDIUM,
            "Tom Teacher",
            "Tom Teacher leads 2 session(s) this term but has never been trained to lead CPD",
            "training to lead adult learning as a development action (e.g. LEAD-CPD)",
        )
    ]


def test_a_facilitator_trained_to_lead_is_no_risk() -> None:
    assert untrained([session(TEACHER_ID)], {9: {TEACHER_ID}}) == []


def test_cancelled_sessions_are_ignored() -> None:
    cancelled = session(TEACHER_ID, status=SessionStatus.CANCELLED)
    assert untrained([cancelled], {}) == []
    (risk,) = untrained([cancelled, session(TEACHER_ID, status=SessionStatus.DELIVERED)], {})
    assert "leads 1 session(s)" in risk.what


def test_a_facilitator_who_has_left_is_not_listed() -> None:
    assert untrained([session(LEAVER_ID)], {}) == []


# --- Development actions ------------------------------------------------------------------


def action(status: ActionStatus, due: dt.date | None) -> DevelopmentAction:
    return DevelopmentAction(
        school_id=1, staff_id=TEACHER_ID, action="Shadow the SENCO", due=due, status=status
    )


def overdue(*actions: DevelopmentAction) -> list[Risk]:
    return of_kind(school_risks(facts(actions=list(actions)), TODAY), RiskKind.OVERDUE_ACTION)


@pytest.mark.parametrize("status", [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS])
def test_an_open_action_past_its_date_is_overdue(status: ActionStatus) -> None:
    assert overdue(action(status, dt.date(2026, 11, 22))) == [
        Risk(
            1,
            RiskKind.OVERDUE_ACTION,
            Severity.MEDIUM,
            "Tom Teacher",
            "Shadow the SENCO was due 22/11/2026",
            "do it, move its date, or drop it",
            dt.date(2026, 11, 22),
        )
    ]


@pytest.mark.parametrize("status", [ActionStatus.DONE, ActionStatus.DROPPED])
def test_a_finished_action_is_never_overdue(status: ActionStatus) -> None:
    assert overdue(action(status, dt.date(2026, 1, 5))) == []


def test_an_action_due_today_or_undated_is_not_overdue() -> None:
    assert overdue(action(ActionStatus.PLANNED, TODAY), action(ActionStatus.PLANNED, None)) == []


# --- Across the trust -----------------------------------------------------------------------


def two_schools(
    oak_ready: Readiness | None, river_ready: Readiness | None
) -> tuple[SchoolFacts, SchoolFacts]:
    oak = facts()
    if oak_ready is not None:
        oak.candidates = [Candidate(role_id=1, staff_id=TEACHER_ID, readiness=oak_ready)]
    river_staff = {
        11: member(11, "Rita River", Role.SENCO, school_id=2),
        12: member(12, "Bea Ready", Role.DEPUTY_SENCO, school_id=2),
    }
    river_roles = [
        SuccessionRole(
            id=11, school_id=2, kind=SuccessionRoleKind.SENCO, title="SENCO", holder_id=11
        ),
        SuccessionRole(
            id=12,
            school_id=2,
            kind=SuccessionRoleKind.DEPUTY_SENCO,
            title="Deputy SENCO",
            holder_id=12,
        ),
    ]
    river = facts(staff=river_staff, roles=river_roles, school=RIVER)
    if river_ready is not None:
        river.candidates = [Candidate(role_id=11, staff_id=12, readiness=river_ready)]
    return oak, river


COVER_CLEAR = "agree cover across the trust, and grow a candidate here"


def test_a_ready_now_candidate_elsewhere_is_offered_as_cover() -> None:
    oak, river = two_schools(Readiness.ONE_TO_TWO_YEARS, Readiness.READY_NOW)
    assert trust_risks([oak, river]) == [
        Risk(
            1,
            RiskKind.COVER_FROM_ANOTHER_SCHOOL,
            Severity.WATCH,
            "SENCO",
            "Oakfield Primary School has no one ready now for SENCO; "
            "ready now elsewhere in the trust: Bea Ready (Riverside Academy)",
            COVER_CLEAR,
        )
    ]


def test_cover_is_never_offered_to_its_own_school() -> None:
    oak, river = two_schools(Readiness.READY_NOW, None)
    (risk,) = trust_risks([oak, river])
    assert risk.school_id == 2
    assert risk.what.endswith(
        "ready now elsewhere in the trust: Tom Teacher (Oakfield Primary School)"
    )
    assert trust_risks([oak]) == []


def test_no_cover_when_no_one_is_ready_now_or_the_school_has_its_own() -> None:
    assert trust_risks(list(two_schools(None, Readiness.ONE_TO_TWO_YEARS))) == []
    assert trust_risks(list(two_schools(Readiness.READY_NOW, Readiness.READY_NOW))) == []


def test_cover_matches_the_kind_of_role() -> None:
    oak, river = two_schools(None, None)
    river.candidates = [Candidate(role_id=12, staff_id=11, readiness=Readiness.READY_NOW)]
    (risk,) = trust_risks([oak, river])
    assert (risk.school_id, risk.subject) == (1, "Deputy SENCO")
    assert "Rita River (Riverside Academy)" in risk.what


# --- Reading the review --------------------------------------------------------------------


def test_qualification_text() -> None:
    assert qualification_text(held(1, QualificationKind.NASENCO)) == "NASENCO"
    assert (
        qualification_text(studying(1, dt.date(2027, 7, 30)))
        == "NPQ for SENCOs (studying, expected 30/07/2027)"
    )
    assert qualification_text(studying(1, None)) == "NPQ for SENCOs (studying)"
    other = Qualification(staff_id=1, kind=QualificationKind.OTHER, title="PG Cert SpLD")
    assert qualification_text(other) == "PG Cert SpLD"


def test_review_school_orders_actions_and_names_module_codes_once() -> None:
    modules = [module(1, "AUT-U"), module(9, "LEAD-CPD", trains_leaders=True)]
    actions = [
        DevelopmentAction(
            school_id=1, staff_id=TA_ID, action="Done thing", status=ActionStatus.DONE
        ),
        DevelopmentAction(
            school_id=1,
            staff_id=TA_ID,
            action="Lead LEAD-CPD",
            module_id=9,
            due=dt.date(2027, 3, 1),
        ),
        DevelopmentAction(
            school_id=1, staff_id=TA_ID, action="Co-lead", module_id=1, due=dt.date(2027, 1, 1)
        ),
    ]
    review = review_school(facts(modules=modules, actions=actions), TODAY)
    assert [review.action_text(a) for a in review.actions] == [
        "Co-lead (AUT-U)",
        "Lead LEAD-CPD",
        "Done thing",
    ]
    assert [a.action for a in review.actions_due_by(dt.date(2027, 2, 1))] == ["Co-lead"]
    assert review.risks == school_risks(review.facts, TODAY)


# --- The paper ---------------------------------------------------------------------------

_UNESCAPED_PIPE = re.compile(r"(?<!\\)(?:\\\\)*\|")


def pipes(line: str) -> int:
    return len(_UNESCAPED_PIPE.findall(line))


def assert_tables_well_formed(text: str) -> None:
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if line.startswith("|") and (n == 0 or not lines[n - 1].startswith("|")):
            heading = pipes(line)
            rows = [line]
            for row in lines[n + 1 :]:
                if not row.startswith("|"):
                    break
                rows.append(row)
            assert re.fullmatch(r"\|( --- \|)+", rows[1])
            assert all(pipes(row) == heading for row in rows), rows


def test_the_paper_keeps_awkward_names_inside_their_cells() -> None:
    staff = team()
    staff[TEACHER_ID] = member(TEACHER_ID, "Tom | Teacher \\", Role.TEACHER)
    role = deputy_role().model_copy(update={"title": "Deputy | SENCO"})
    oak = facts(
        staff=staff,
        roles=[senco_role(), role],
        modules=[module(1, "AUT-U", title="Autism | awareness")],
        named_leaders={1: {TEACHER_ID}},
        candidates=[Candidate(role_id=2, staff_id=TEACHER_ID)],
        actions=[action(ActionStatus.PLANNED, dt.date(2027, 1, 1))],
    )
    river = facts(school=School(id=2, name="River | Side"), roles=[])
    text = succession_markdown(
        [review_school(oak, TODAY), review_school(river, TODAY)], today=TODAY
    )
    assert_tables_well_formed(text)
    assert "Tom \\| Teacher \\\\" in text


def test_schools_without_a_deputy_are_escaped_as_text() -> None:
    star = facts(school=School(id=1, name="St *Mary* School"), roles=[senco_role()])
    river = facts(school=RIVER, roles=[], staff={})
    text = succession_markdown(
        [review_school(star, TODAY), review_school(river, TODAY)], today=TODAY
    )
    assert "Schools without a deputy SENCO: St \\*Mary\\* School, Riverside Academy." in text


# --- Properties ------------------------------------------------------------------------------

DAYS = st.dates(dt.date(2015, 1, 1), dt.date(2028, 12, 31))
CATALOGUE = [
    module(1, "AUT-U"),
    module(2, "AUT-X", provider=Provider.EXTERNAL),
    module(3, "SLCN-U", (NeedType.SLCN, NeedType.ASD)),
    module(4, "ALL-U", tuple(NeedType)),
    module(9, "LEAD-CPD", trains_leaders=True),
]
MODULE_IDS = [m.id for m in CATALOGUE if m.id is not None]


@st.composite
def school_facts(draw: st.DrawFn) -> SchoolFacts:
    size = draw(st.integers(1, 6))
    ids = list(range(1, size + 1))
    staff = {
        i: StaffMember(
            id=i,
            school_id=1,
            name=f"Person {i}",
            role=draw(st.sampled_from(list(Role))),
            start_date=draw(st.none() | DAYS),
        )
        for i in ids
    }
    stored = [
        SuccessionRole(
            id=role_id,
            school_id=1,
            kind=draw(st.sampled_from(list(SuccessionRoleKind))),
            title=f"Role {role_id}",
            holder_id=draw(st.none() | st.sampled_from(ids)),
            holder_since=draw(st.none() | DAYS),
        )
        for role_id in range(1, draw(st.integers(0, 4)) + 1)
    ]
    role_ids = [r.id for r in stored if r.id is not None] or [0]
    people = st.sampled_from(ids)
    candidates = draw(
        st.lists(
            st.builds(
                Candidate,
                role_id=st.sampled_from(role_ids),
                staff_id=people,
                readiness=st.sampled_from(list(Readiness)),
            ),
            max_size=4,
        )
    )
    qualifications = draw(
        st.lists(
            st.builds(
                Qualification,
                staff_id=people,
                kind=st.sampled_from(list(QualificationKind)),
                status=st.sampled_from(list(QualificationStatus)),
                expected=st.none() | DAYS,
            ),
            max_size=3,
        )
    )
    by_module = st.dictionaries(st.sampled_from(MODULE_IDS), st.sets(people, max_size=3))
    sessions = [
        session(*facilitators, status=status)
        for facilitators, status in draw(
            st.lists(
                st.tuples(
                    st.lists(people, min_size=1, max_size=2, unique=True).map(tuple),
                    st.sampled_from(list(SessionStatus)),
                ),
                max_size=3,
            )
        )
    ]
    actions = draw(
        st.lists(
            st.builds(
                DevelopmentAction,
                school_id=st.just(1),
                staff_id=people,
                action=st.just("Shadow"),
                due=st.none() | DAYS,
                status=st.sampled_from(list(ActionStatus)),
            ),
            max_size=3,
        )
    )
    return SchoolFacts(
        school=OAK,
        staff=staff,
        roles=effective_roles(stored, staff, 1),
        candidates=candidates,
        qualifications=qualifications,
        actions=actions,
        modules=CATALOGUE,
        holders=draw(by_module),
        named_leaders=draw(by_module),
        sessions=sessions,
        needs_on_roll=draw(st.dictionaries(st.sampled_from(list(NeedType)), st.integers(0, 9))),
    )


def shape(risks: Iterable[Risk]) -> Counter[tuple[RiskKind, Severity, str]]:
    return Counter((r.kind, r.severity, r.subject) for r in risks)


@settings(max_examples=150, deadline=None)
@given(school_facts(), st.data())
def test_adding_a_candidate_never_adds_a_risk(before: SchoolFacts, data: st.DataObject) -> None:
    role_ids = [r.id for r in before.roles if r.id is not None]
    extra = Candidate(
        role_id=data.draw(st.sampled_from(role_ids or [0])),
        staff_id=data.draw(st.sampled_from(sorted(before.staff))),
        readiness=data.draw(st.sampled_from(list(Readiness))),
    )
    after = replace(before, candidates=[*before.candidates, extra])
    worst_before = {(r.kind, r.subject): r.severity.rank for r in school_risks(before, TODAY)}
    for risk in school_risks(after, TODAY):  # no new risk, and none grows more serious
        assert (risk.kind, risk.subject) in worst_before
        assert risk.severity.rank >= worst_before[(risk.kind, risk.subject)]


@settings(max_examples=150, deadline=None)
@given(school_facts(), st.data())
def test_holding_nasenco_never_adds_a_risk(before: SchoolFacts, data: st.DataObject) -> None:
    person = data.draw(st.sampled_from(sorted(before.staff)))
    nasenco = held(person, QualificationKind.NASENCO)
    after = replace(before, qualifications=[*before.qualifications, nasenco])
    old, new = school_risks(before, TODAY), school_risks(after, TODAY)
    assert shape(new) <= shape(old)
    mine = f"{before.name(person)} (SENCO)"
    assert not any(r.what.startswith(mine) for r in of_kind(new, RiskKind.NPQ_DUE))


@settings(max_examples=150, deadline=None)
@given(school_facts())
def test_risks_come_most_serious_first(facts_: SchoolFacts) -> None:
    found = school_risks(facts_, TODAY)
    order = list(RiskKind)
    keys = [(r.severity.rank, order.index(r.kind), r.subject) for r in found]
    assert keys == sorted(keys)
    assert all(r.school_id == 1 and r.what and r.clear_by for r in found)
