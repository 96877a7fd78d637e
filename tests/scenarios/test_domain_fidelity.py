"""Domain fidelity of the nine regional processes (issue 10), walked through the engine on the
simulated clock as a professional would: the crisis route during monitoring, closure rules with the
trajectory's length taken from the case, Drenthe's consent, the yearly reviews on their sources'
anchors, Hart van Brabant's 12-week direct access as case state, Zeeland's Civil Care window as an
option, no ten-week deadline in Drenthe, Rotterdam's walk-in reaching SOF7, a returning household,
and effect measurement only in the five study regions. Each test failed on the models before."""

from __future__ import annotations

from datetime import timedelta

import pytest

from config.settings import REGIONS
from engine import cases
from engine.errors import NotFound
from engine.runtime import Runtime
from forms.validation import FormDataInvalid
from tests.scenarios import walker as w
from tests.scenarios.walker import CaseRun, plus

STUDY_REGIONS = ("friesland", "rotterdam", "drenthe", "hart-van-brabant", "west-brabant")


@pytest.fixture
def rt(library_rt: Runtime) -> Runtime:
    return library_rt


# ------------------------------------------------------------------ 1. acute danger during monitoring
@pytest.mark.parametrize(
    ("region", "route"),
    [("nml", "crisispartijen"), ("rotterdam", "crisispartijen_sof7"),
     ("hart-van-brabant", "crisispartijen_spoedplein"), ("friesland", "crisispartijen")],
)  # fmt: skip
def test_acute_danger_in_month_four_interrupts_the_monitoring(rt: Runtime, region: str, route: str) -> None:
    """Month 4: the casusregisseur learns a child is in acute danger. The case goes to the crisis
    parties at once (D1, crisis task for Veilig Thuis), the intensity is raised, the plan revised,
    and the monitoring resumes with a fresh evaluation term from that moment."""
    run = w.to_monitoring(rt, region)
    w.advance(rt, "P3M")
    run.complete("evaluatie")  # the first evaluation: go on
    w.advance(rt, "P1M")
    assert "acuut_onveilig" in run.waiting_messages()
    run.send("acuut_onveilig")
    crisis = run.task("crisis")
    assert (crisis.role, crisis.form_key, run.phase) == ("veilig_thuis", "crisis_monitoring", "opschaling")
    assert "timer_evaluatie" not in run.timer_ids()  # the wait is interrupted, not left running
    assert run.variable("acute_route") == route
    run.complete("crisis", intensiteit="verhoogd")
    revision = run.task("plan_herzien")
    assert revision.role == "casusregisseur"
    run.complete("plan_herzien", zorgelijkheid="hoog")
    resumed = w.now(rt)
    assert run.open_ids() == [] and run.phase == "monitoring"
    assert run.timer("timer_evaluatie").due_at == plus(resumed, "P3M")
    assert run.variable("acuut_onveilig") is False


def test_the_evaluation_can_say_acute_and_escalation_is_not_called_stagnation(rt: Runtime) -> None:
    run = w.to_monitoring(rt, "utrecht")
    w.advance(rt, "P3M")
    form = rt.forms["evaluatie"].as_dict("utrecht")
    besluit = next(f for f in form["fields"] if f["name"] == "besluit")
    assert "acuut_onveilig" in [o["value"] for o in besluit["options"]]
    run.complete("evaluatie", besluit="acuut_onveilig")
    assert run.open_ids() == ["crisis"] and run.completed("opschaling_melding") == []
    assert "stagnatie" not in rt.forms["opschaling_melding"].title.lower()


def test_acute_danger_also_interrupts_an_escalation(rt: Runtime) -> None:
    run = w.to_monitoring(rt, "haaglanden")
    w.advance(rt, "P3M")
    run.complete("evaluatie", besluit="opschalen")
    assert run.open_ids() == ["melding"]
    run.send("acuut_onveilig", role="procesregisseur")
    assert run.open_ids() == ["crisis"]
    assert [t.spec_id for t in run.cancelled()] == ["melding"]


# ------------------------------------------------------------------ 2. closure rules (D8)
def closure_at(run: CaseRun, **afsluiting: object) -> str:
    """Hold the evaluation now (bringing it forward unless it is already due), decide to close, fill
    the closure form; returns the case's status."""
    if not run.is_open("evaluatie"):
        run.send("evaluatie_vervroegen")
    run.complete("evaluatie", besluit="afschalen")
    run.complete("eindevaluatie", **afsluiting)
    if run.is_open("overdracht"):
        run.complete("overdracht")
    return run.status


@pytest.mark.parametrize("region", ["west-brabant", "rotterdam"])
def test_end_of_term_closes_only_after_twelve_months_without_extension(rt: Runtime, region: str) -> None:
    """West-Brabant and Rotterdam: 'einde termijn' closes only after 12 months in the trajectory
    (counted from the case's own trajectory start) and when no extension is needed."""
    run = w.to_monitoring(rt, region)
    started = run.variable("traject_start")
    assert started == w.now(rt).date().isoformat()
    end_of_term = {"afsluitreden": "einde_termijn", "duurzame_veiligheid": False, "verlenging_nodig": False}
    w.advance(rt, "P1M")
    assert closure_at(run, **end_of_term) == "open"  # month 1: refused
    assert run.variable("afsluiting_besluit") == "doorgaan"
    w.advance(rt, "P10M")
    assert closure_at(run, **end_of_term) == "open"  # month 11: still refused
    w.advance(rt, "P1M")
    assert closure_at(run, **{**end_of_term, "verlenging_nodig": True}) == "open"  # extension needed
    assert closure_at(run, **end_of_term) == "closed"  # month 12, no extension: closes


def test_nml_closure_refused_before_a_year_and_with_new_signals(rt: Runtime) -> None:
    run = w.to_monitoring(rt, "nml")
    w.advance(rt, "P6M")
    assert closure_at(run) == "open"  # all criteria met, but less than a year
    assert "jaar" in run.variable("afsluiting_toelichting")
    w.advance(rt, "P6M")
    assert closure_at(run, geen_nieuwe_signalen=False) == "open"  # new signals of unsafety
    assert "signalen" in run.variable("afsluiting_toelichting")
    assert closure_at(run) == "closed"


def test_friesland_closes_on_durable_safety_as_its_seed_says(rt: Runtime) -> None:
    """Friesland's seed closes at durable safety, after three months to five years (002:3164-3167);
    the domain's 'at least a year' (D8 rule 4) is the phase-out review, not a closure condition."""
    run = w.to_monitoring(rt, "friesland")
    w.advance(rt, "P4M")
    assert closure_at(run, duurzame_veiligheid=False) == "open"
    assert closure_at(run) == "closed"


def test_the_closure_form_no_longer_asks_for_a_typed_duration(rt: Runtime) -> None:
    names = {f["name"] for f in rt.forms["afsluiting"].fields}
    assert "trajectduur_maanden" not in names and {"geen_nieuwe_signalen", "verlenging_nodig"} <= names


# ------------------------------------------------------------------ 3. Drenthe consent
def test_drenthe_without_consent_is_discussed_anonymously(rt: Runtime) -> None:
    run = w.start(rt, "drenthe")
    run.complete_all(keep=("toestemming",))
    consent = run.task("toestemming")
    assert consent.form_key == "toestemming_drenthe"
    with pytest.raises(FormDataInvalid):  # the contradictory pair cannot be submitted
        rt.forms["toestemming_drenthe"].validate(
            {"toestemming_gezin": "geweigerd", "inbreng_wijze": "op_naam"}
        )
    run.complete("toestemming", toestemming_gezin="geweigerd")
    assert run.open_ids() == ["anoniem"]
    run.complete_all()
    assert run.status == "closed"
    assert not run.completed("actieoverleg") and "casusregisseur" not in run.team()


# ------------------------------------------------------------------ 4. yearly reviews on their anchors
def test_friesland_year_counts_from_the_start_of_the_vt_investigation(rt: Runtime) -> None:
    run = w.start(rt, "friesland")
    run.complete_all(keep=("vt_onderzoek", "tweede_bijeenkomst"))
    investigation = run.task("vt_onderzoek")
    w.advance(rt, "P8W")
    run.complete_all()
    monitoring = w.now(rt)
    assert run.timer("timer_jaar").due_at == plus(investigation.created_at, "P1Y")
    assert run.timer("timer_jaar").due_at < plus(monitoring, "P1Y")


def test_west_brabant_year_counts_from_the_intake(rt: Runtime) -> None:
    run = w.start(rt, "west-brabant")
    run.complete_all(keep=("intake",))
    intake = run.task("intake")
    w.advance(rt, "P3W")
    run.complete_all()
    assert run.timer("timer_jaar").due_at == plus(intake.created_at, "P1Y")
    assert run.timer("timer_jaar").due_at < plus(w.now(rt), "P1Y")


def test_rotterdam_year_counts_from_the_start_of_icm(rt: Runtime) -> None:
    run = w.start(rt, "rotterdam")
    run.complete_all(keep=("plan",))
    icm_start = run.task("plan").created_at  # ISO chose ICM: the ICM year starts, investigation included
    w.advance(rt, "P4W")
    run.complete_all()
    due = run.timer("timer_jaar").due_at
    assert due == plus(icm_start, "P1Y") and due < plus(w.now(rt), "P1Y")
    w.live(run, due - timedelta(minutes=1))
    assert not run.is_open("jaarevaluatie")
    w.advance_to(rt, due)
    assert run.task("jaarevaluatie").role == "procesregisseur"


# ------------------------------------------------------------------ 5. Hart van Brabant direct access
def test_hvb_direct_access_expires_after_12_weeks_and_a_later_need_goes_the_regular_way(rt: Runtime) -> None:
    run = w.start(rt, "hart-van-brabant")
    run.complete_all(keep=("fase1",))
    accepted = run.task("fase1").created_at
    assert run.timer("timer_12w").due_at == plus(accepted, "P12W")
    assert run.variable("directe_toegang") == "open"
    run.complete_all()
    w.advance(rt, "P2W")  # a need in week 2: straight to youth care / WMO
    run.send("hulpvraag_jeugdhulp_wmo")
    assert run.open_ids() == ["hulp_direct"]
    run.complete("hulp_direct")
    w.advance_to(rt, accepted + timedelta(days=85))  # S9b: day 85 after acceptance
    assert [f.due_at for f in run.fired("timer_12w")] == [plus(accepted, "P12W")]
    assert run.variable("directe_toegang") == "verlopen"
    run.send("hulpvraag_jeugdhulp_wmo")
    assert run.open_ids() == ["hulp_regulier"]
    assert run.phase == "monitoring"  # the open request does not move the case back to plan
    run.complete("hulp_regulier")
    assert "hulpvraag_jeugdhulp_wmo" in run.waiting_messages()


# ------------------------------------------------------------------ 6. Zeeland
def test_zeeland_main_route_amt_to_expertiseteam_with_the_window_off(rt: Runtime) -> None:
    """Zeeland's own route: the AMT assesses, the expertiseteam decides; even 'eerst lokaal' goes to
    the expertiseteam while the region has not turned the Civil Care window on (004:135)."""
    run = w.start(rt, "zeeland")
    run.complete("triage", lokale_aanpak="eerst_lokaal")
    assert run.variable("civil_care_venster") is False
    assert run.open_ids() == ["expertiseteam"]
    run.complete_all()
    assert [s for s in run.route() if s != "t0"] == ["triage", "expertiseteam", "plan"]
    assert "gw_venster" not in run.timer_ids()


def test_zeeland_window_ended_early_by_escalation(rt: Runtime) -> None:
    w.with_civil_care_window(rt)
    run = w.start(rt, "zeeland")
    run.complete("triage", lokale_aanpak="eerst_lokaal")
    assert run.open_ids() == ["top3_start"]
    run.complete("top3_start")
    assert run.team()["veilig_thuis"] == "zeeland.veilig_thuis"
    assert cases.get_case(rt, w.actor(rt, "zeeland", "veilig_thuis"), run.id).case.id == run.id
    window = run.timer("gw_venster").due_at  # the window waits at its event-based gateway
    w.advance(rt, "P5W")
    run.send("lokaal_escaleren", role="veilig_thuis")
    assert run.open_ids() == ["expertiseteam"] and "gw_venster" not in run.timer_ids()
    assert w.now(rt) < window


def test_zeeland_window_expiry_inserts_experts_and_an_mda_regisseur(rt: Runtime) -> None:
    w.with_civil_care_window(rt)
    start = w.now(rt)
    run = w.start(rt, "zeeland")
    run.complete("triage", lokale_aanpak="eerst_lokaal")
    run.complete("top3_start")
    w.advance_to(rt, plus(start, "P3M"))
    assert run.open_ids() == ["top3_beoordeling"]
    run.complete("top3_beoordeling", lokaal_vervolg="experts_aansluiten")
    assert run.open_ids() == ["experts_aansluiten"]
    run.complete("experts_aansluiten")
    assert run.open_ids() == ["plan"] and not run.completed("expertiseteam")
    assert run.team()["casusregisseur"] == "zeeland.casusregisseur"


# ------------------------------------------------------------------ 7. Drenthe: no ten-week deadline
def test_drenthe_investigation_has_no_ten_week_deadline(rt: Runtime) -> None:
    run = w.start(rt, "drenthe")
    run.complete_all(keep=("vt_onderzoek", "tweede_bijeenkomst"))
    assert run.task("vt_onderzoek").due_at is None
    assert "timer_onderzoek" not in run.timer_ids() and "timer_tweede" in run.timer_ids()
    w.advance(rt, "P11W")
    assert not run.is_open("signaal_onderzoek")


# ------------------------------------------------------------------ 8. Rotterdam walk-in → SOF7
def test_rotterdam_walk_in_reaches_sof7(rt: Runtime) -> None:
    run = w.start(rt, "rotterdam", process_id="mda_rotterdam_inloop", role="aanmelder")
    run.complete("gesprek", inloop_vervolg="aanmelding_mda")
    assert run.open_ids() == ["aanmelding_sof7"]
    run.complete("aanmelding_sof7")
    run.complete("triage")
    entered = w.now(rt)
    assert run.task("sof7").role == "teamlid"
    assert run.timer("timer_sof7").due_at == plus(entered, "P7D")


# ------------------------------------------------------------------ 9. a household that comes back
def test_a_returning_household_is_recognised_and_linked(rt: Runtime) -> None:
    first = w.start(rt, "nml", huishouden_kenmerk="VT-2024-0815")
    first.complete("triage", triage_oordeel="advies")
    first.complete_all()
    assert first.status == "closed"
    other_region = w.start(rt, "utrecht", huishouden_kenmerk="VT-2024-0815")
    second = w.start(rt, "nml", huishouden_kenmerk=" vt-2024-0815 ")
    coordinator = w.actor(rt, "nml", "coordinator")
    linked = cases.get_case(rt, coordinator, second.id).linked_cases
    assert [(c.id, c.relation, c.status) for c in linked] == [(first.id, "eerder", "closed")]
    back = cases.get_case(rt, coordinator, first.id).linked_cases
    assert [(c.id, c.relation) for c in back] == [(second.id, "later")]
    assert [e.kind for e in second.events("household_recognised")] == ["household_recognised"]
    # Veilig Thuis sees the new case (its triage is open) but not the closed earlier one: no link shown
    vt = w.actor(rt, "nml", "veilig_thuis")
    with pytest.raises(NotFound):
        cases.get_case(rt, vt, first.id)
    assert cases.get_case(rt, vt, second.id).linked_cases == []
    assert cases.get_case(rt, w.actor(rt, "utrecht", "coordinator"), other_region.id).linked_cases == []


# ------------------------------------------------------------------ 10. effect measurement
@pytest.mark.parametrize("region", REGIONS)
def test_effect_measurement_only_in_the_study_regions_counted_from_t0(rt: Runtime, region: str) -> None:
    registered = w.now(rt)
    run = w.start(rt, region)
    if region not in STUDY_REGIONS:
        assert not run.is_open("t0") and "timer_6m" not in run.timer_ids()
        run.complete_all()
        assert not run.completed("t0") and "timer_1j" not in run.timer_ids()
        return
    t0 = run.task("t0")
    assert (t0.role, t0.created_at) == ("coordinator", registered)
    w.advance(rt, "P20D")  # T0 is taken late: the later moments still count from T0's due moment
    run.complete_all()
    assert run.timer("timer_6m").due_at == plus(registered, "P6M")
    assert run.timer("timer_1j").due_at == plus(registered, "P1Y")
    w.advance_to(rt, plus(registered, "P6M"))
    assert run.is_open("t1")
