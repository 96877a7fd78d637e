"""One story per region on the simulated clock: from aanmelding along the region's main path into
monitoring, a year (or more) of evaluations at the region's cadence, and closure; every
region-specific deadline is crossed on its day, fires without cancelling the work it guards and
opens its reminder for the coordinator (docs/regions.md §3, domain §4)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from config.settings import REGIONS
from engine.runtime import Runtime
from tests.scenarios import walker as w
from tests.scenarios.walker import CaseRun, Overrides, plus

EFFECT = ("t0", "t1", "t2")
SECOND = timedelta(seconds=1)


def main_route(run: CaseRun) -> list[str]:
    """The completed tasks of the main path: without effect measurement and deadline reminders."""
    return [s for s in run.route() if s not in EFFECT and not s.startswith("signaal_")]


def appointed(run: CaseRun, region: str) -> None:
    team = run.team()
    assert team["procesregisseur"] == f"{region}.procesregisseur"
    assert team["casusregisseur"] == f"{region}.casusregisseur"


def held_by_the_casusregisseur(run: CaseRun) -> None:
    """The open evaluation is handed to the appointed casusregisseur, not left in the pool."""
    evaluation = run.task("evaluatie")
    assert evaluation.assignee_id == w.actor(run.rt, run.region, "casusregisseur").user_id


def evaluations(run: CaseRun, first_wait: datetime, months: int, count: int) -> None:
    """`count` evaluations, each `months` after the one before (the first after `first_wait`), each
    timer firing exactly on its moment and each evaluation done by the casusregisseur."""
    dues = [plus(first_wait, f"P{months * k}M") for k in range(1, count + 1)]
    assert [(f.due_at, f.at) for f in run.fired("timer_evaluatie")] == [(d, d) for d in dues]
    done = run.completed("evaluatie")
    assert len(done) == count
    assert {t.role for t in done} == {"casusregisseur"}


STUDY_REGIONS = ("friesland", "rotterdam", "drenthe", "hart-van-brabant", "west-brabant")


def effect_measurement(run: CaseRun, registered: datetime) -> None:
    """T35, only in the five study regions (002:2364-2366): T0 at registration, 6 months and 1 year
    after T0's due moment; elsewhere no measurement at all."""
    if run.region not in STUDY_REGIONS:
        assert not [t for t in run.all_tasks() if t.spec_id in EFFECT] and not run.fired("timer_6m")
        return
    assert [t.spec_id for t in run.completed() if t.spec_id in EFFECT] == list(EFFECT)
    assert run.completed("t0")[0].created_at == registered
    assert [(f.due_at, f.at) for f in run.fired("timer_6m")] == [(plus(registered, "P6M"),) * 2]
    assert [(f.due_at, f.at) for f in run.fired("timer_1j")] == [(plus(registered, "P1Y"),) * 2]


def open_main(run: CaseRun) -> list[tuple[str, str | None]]:
    """The open tasks of the main path (the effect measurement runs beside it), with their roles."""
    return [(t.spec_id, t.role) for t in run.open_tasks() if t.spec_id not in EFFECT]


def close_at(run: CaseRun, moment: datetime, closing: Overrides, overrides: Overrides | None = None) -> None:
    """Live until just before `moment` (still open), then decide to close on `moment`."""
    w.live(run, moment - SECOND, overrides)
    assert run.status == "open", "the case closed too early"
    w.advance_to(run.rt, moment)
    run.complete_all({**(overrides or {}), **closing})


def closed(run: CaseRun, moment: datetime, opened: datetime) -> None:
    row = run.row()
    assert (row.status, row.phase, row.closed_at) == ("closed", "afsluiting", moment)
    assert moment >= plus(opened, "P1Y")
    assert run.open_tasks() == [] and run.timers() == []
    assert [e.kind for e in run.events()][-1] == "case_closed"
    assert run.variable("afsluiting_besluit") == "afsluiten"
    assert [t.spec_id for t in run.completed()][-2:] == ["eindevaluatie", "overdracht"]


def waiting(run: CaseRun) -> dict[str, datetime]:
    return {t.spec_id: t.due_at for t in run.timers()}


AFSCHALEN: Overrides = {"evaluatie": {"besluit": "afschalen"}}


@pytest.fixture
def rt(library_rt: Runtime) -> Runtime:
    return library_rt


def test_nml(rt: Runtime) -> None:
    """NML: VT triage (D2) → analyseteam appoints both regisseurs → plan with the household;
    no interval in the source, so quarterly (T38): 4 evaluations in the year."""
    start = w.now(rt)
    run = w.start(rt, "nml")
    assert [(t.spec_id, t.role) for t in run.open_tasks()] == [("triage", "veilig_thuis")]
    assert run.phase == "triage"
    run.complete_all()
    assert main_route(run) == ["triage", "agendering", "analyseteam", "plan"]
    assert (run.variable("acute_route"), run.variable("triage_uitkomst")) == ("geen", "mda")
    assert run.variable("casusregie_bij") == "lokaal_team"
    assert waiting(run) == {"timer_evaluatie": plus(start, "P3M")}  # no effect study in NML
    w.advance_to(rt, plus(start, "P3M"))
    assert run.open_ids() == ["evaluatie"] and run.phase == "monitoring"
    held_by_the_casusregisseur(run)
    close_at(run, plus(start, "P1Y"), AFSCHALEN)
    appointed(run, "nml")
    evaluations(run, start, 3, 4)
    effect_measurement(run, start)
    closed(run, plus(start, "P1Y"), start)


def test_utrecht(rt: Runtime) -> None:
    """Utrecht: joint triage by team procesregie (D2-UTR, five criteria) → consultatieteam advises
    and appoints → D5 gives procesregie to VT (no large criminal-law share) → interventieteam plan;
    quarterly evaluations (T38), closure on stable safety with hand-over to regular help."""
    start = w.now(rt)
    run = w.start(rt, "utrecht")
    assert [(t.spec_id, t.role) for t in run.open_tasks()] == [("triage", "procesregisseur")]
    run.complete_all()
    assert main_route(run) == ["triage", "agendering", "consultatieteam", "plan"]
    assert (run.variable("triage_uitkomst"), run.variable("procesregie_organisatie")) == ("mda", "VT")
    close_at(run, plus(start, "P1Y"), AFSCHALEN)
    appointed(run, "utrecht")
    evaluations(run, start, 3, 4)
    effect_measurement(run, start)
    closed(run, plus(start, "P1Y"), start)


def test_haaglanden(rt: Runtime) -> None:
    """Haaglanden: meldcode report naming MDA++ → VT explores with the melder (D2-HGL) → ZVHH and
    local chambers → weegoverleg chooses the MDA++ route and appoints → casusoverleg with the
    safety plan; quarterly evaluations; closure only with team and client agreeing (D8)."""
    start = w.now(rt)
    run = w.start(rt, "haaglanden")
    assert run.open_ids() == ["triage"]
    run.complete_all()
    assert main_route(run) == ["triage", "check_zvhh", "weegoverleg", "casusoverleg"]
    assert [t.name for t in run.completed()][:1] == [
        "Contact met de melder: MDA++ verkennen (eventueel huisbezoek met eropaf-team)"
    ]
    assert run.variable("gewenste_route") == "mda"
    close_at(run, plus(start, "P1Y"), AFSCHALEN)
    appointed(run, "haaglanden")
    evaluations(run, start, 3, 4)
    effect_measurement(run, start)
    closed(run, plus(start, "P1Y"), start)
    assert run.variable("afsluiting_toelichting") == "Team en cliënt akkoord (Haaglanden)"


def test_zeeland(rt: Runtime) -> None:
    """Zeeland's own route: the AMT of Veilig Thuis assesses safety with the MDA++ criteria worksheet
    (D2-ZLD) → the weekly expertiseteam decides MDA++ fits and appoints the MDA-regisseur → safety
    plan and plan of approach; quarterly evaluations (T38); closure on durable safety."""
    start = w.now(rt)
    run = w.start(rt, "zeeland")
    assert open_main(run) == [("triage", "veilig_thuis")]
    run.complete_all()
    assert main_route(run) == ["triage", "expertiseteam", "plan"]
    assert (run.variable("triage_uitkomst"), run.variable("past_binnen_mda")) == ("mda", "ja")
    assert [t.role for t in run.completed("expertiseteam")] == ["teamlid"]
    assert waiting(run) == {"timer_evaluatie": plus(start, "P3M")}
    close_at(run, plus(start, "P1Y"), AFSCHALEN)
    appointed(run, "zeeland")
    evaluations(run, start, 3, 4)
    effect_measurement(run, start)
    closed(run, plus(start, "P1Y"), start)


def test_zeeland_through_the_three_month_local_window(rt: Runtime) -> None:
    """Zeeland with its Civil Care window turned on (T29; off by default, 004:135): the AMT chooses a
    local TOP3 approach first; exactly three months later VT judges the safety; not safe enough →
    1-2 experts join the local case meeting and an MDA-regisseur is deployed (004:193) → plan;
    quarterly evaluations; closure."""
    w.with_civil_care_window(rt)
    start = w.now(rt)
    run = w.start(rt, "zeeland")
    run.complete("triage", lokale_aanpak="eerst_lokaal")
    assert run.variable("triage_uitkomst") == "lokaal_top3"
    assert [(t.spec_id, t.role) for t in run.open_tasks()] == [("top3_start", "aanmelder")]
    run.complete("top3_start")
    window = plus(start, "P3M")
    assert waiting(run) == {"gw_venster": window}
    w.advance_to(rt, window - timedelta(minutes=1))
    assert run.open_ids() == [] and not run.fired("gw_venster")
    w.advance_to(rt, window)
    assert [(f.due_at, f.at) for f in run.fired("gw_venster")] == [(window, window)]
    assert [(t.spec_id, t.role) for t in run.open_tasks()] == [("top3_beoordeling", "veilig_thuis")]
    run.complete_all()  # not safe enough locally (example): experts join, MDA-regisseur → plan
    assert main_route(run) == ["triage", "top3_start", "top3_beoordeling", "experts_aansluiten", "plan"]
    close_at(run, plus(window, "P1Y"), AFSCHALEN)
    appointed(run, "zeeland")
    evaluations(run, window, 3, 4)
    effect_measurement(run, window)
    closed(run, plus(window, "P1Y"), start)


def test_friesland(rt: Runtime) -> None:
    """Friesland: Front Office triage (D2-FRL) → BackOffice home visit → first MDA++ meeting starts
    the investigation; the second meeting misses its 6 weeks (T07) and the VT investigation its 10
    weeks (T06): both are signalled and both go on. Less worrying (`matig`) → evaluations every 6
    months (T08); the yearly review (T09), one year after the start of MDA++ — the start of the VT
    investigation (002:3123) — decides to phase out and close."""
    start = w.now(rt)
    matig: Overrides = {"*": {"zorgelijkheid": "matig"}}
    run = w.start(rt, "friesland")
    run.complete_all(matig, keep=("vt_onderzoek", "tweede_bijeenkomst"))
    assert main_route(run) == ["triage", "huisbezoek", "eerste_bijeenkomst"]
    assert run.open_ids() == ["vt_onderzoek", "tweede_bijeenkomst"]
    w.cross_deadline(run, "timer_tweede", start, "P6W", "signaal_tweede", "tweede_bijeenkomst")
    run.complete("tweede_bijeenkomst", zorgelijkheid="matig")
    run.complete("signaal_tweede")
    assert run.open_ids() == ["vt_onderzoek"]
    handover = w.cross_deadline(run, "timer_onderzoek", start, "P10W", "signaal_onderzoek", "vt_onderzoek")
    run.complete_all(matig)
    assert main_route(run)[3:] == ["tweede_bijeenkomst", "vt_onderzoek", "regieoverdracht"]
    assert waiting(run) == {
        "timer_evaluatie": plus(handover, "P6M"),
        "timer_jaar": plus(start, "P1Y"),
        "timer_6m": plus(start, "P6M"),
        "timer_1j": plus(start, "P1Y"),
    }
    review = plus(start, "P1Y")
    close_at(run, review, {"jaarevaluatie": {"jaarbesluit": "afsluiten", "dynamiek_stabiel": True}}, matig)
    assert [(f.due_at, f.at) for f in run.fired("timer_jaar")] == [(review, review)]
    assert [t.role for t in run.completed("jaarevaluatie")] == ["procesregisseur"]
    appointed(run, "friesland")
    evaluations(run, handover, 6, 1)
    effect_measurement(run, start)
    closed(run, review, start)


def test_drenthe(rt: Runtime) -> None:
    """Drenthe: VT triage incl. children and OGGZ/Veiligheidshuis alignment (D2-DRN, D3) → consent
    and municipal casemanager → actieoverleg at the start (T16) → first meeting; the second meeting
    misses its 6 weeks (T13, signalled, goes on); the VT investigation has no deadline of its own
    (the ten weeks are Friesland's, 002:3123-3124) → report and hand-over → municipal safety plan;
    evaluations about every 3 months (T14): 4 in the year."""
    start = w.now(rt)
    run = w.start(rt, "drenthe")
    run.complete_all(keep=("vt_onderzoek", "tweede_bijeenkomst"))
    assert main_route(run) == ["triage", "toestemming", "actieoverleg", "eerste_bijeenkomst"]
    assert run.task("vt_onderzoek").due_at is None
    w.cross_deadline(run, "timer_tweede", start, "P6W", "signaal_tweede", "tweede_bijeenkomst")
    run.complete_all(keep=("vt_onderzoek",))
    w.advance_to(rt, plus(start, "P8W"))
    run.complete("vt_onderzoek")
    handover = w.now(rt)
    run.complete_all()
    assert main_route(run)[4:] == ["tweede_bijeenkomst", "vt_onderzoek", "regieoverdracht", "veiligheidsplan"]
    close_at(run, plus(handover, "P1Y"), AFSCHALEN)
    appointed(run, "drenthe")
    evaluations(run, handover, 3, 4)
    effect_measurement(run, start)
    closed(run, plus(handover, "P1Y"), start)


def test_west_brabant(rt: Runtime) -> None:
    """West-Brabant: VT triage on the Interventieteam thresholds (D2-WBR) → weekly briefing assigns
    two casemanagers → intake and analysis → plan with safety conditions; quarterly evaluations;
    after one year (T17) the review extends by 6 months, and the next review closes: 6
    evaluations in 18 months."""
    start = w.now(rt)
    run = w.start(rt, "west-brabant")
    run.complete_all()
    assert main_route(run) == ["triage", "briefing", "intake", "plan"]
    assert run.team()["casusregisseur"] == "west-brabant.casusregisseur"
    year = plus(start, "P1Y")
    assert run.timer("timer_jaar").due_at == year
    w.live(run, year)  # the review extends (example: verlengen, P6M)
    assert [(f.due_at, f.at) for f in run.fired("timer_jaar")] == [(year, year)]
    assert run.variable("jaarbesluit") == "verlengen"
    extension = plus(year, "P6M")
    assert run.timer("timer_verlenging").due_at == extension
    close_at(run, extension, {"jaarevaluatie": {"jaarbesluit": "afsluiten"}})
    assert [(f.due_at, f.at) for f in run.fired("timer_verlenging")] == [(extension, extension)]
    assert len(run.completed("jaarevaluatie")) == 2
    appointed(run, "west-brabant")
    evaluations(run, start, 3, 6)
    effect_measurement(run, start)
    closed(run, extension, start)


def test_hart_van_brabant(rt: Runtime) -> None:
    """Hart van Brabant: VT triage (D2-HVB-a) mails the case; the Veiligheidsteam decides only after
    5 days (T01 signalled, acceptance stays open) and appoints casuscoördinator, procesmonitoring and
    schaduwcoördinator; phases 1-3 miss the 6-week target for the plan (T02, signalled, go on); the
    12 weeks of direct access to Jeugdhulp/WMO end on their day (T04); evaluations every 3 months
    (T03): 4 in the year."""
    start = w.now(rt)
    run = w.start(rt, "hart-van-brabant")
    run.complete("triage")
    assert open_main(run) == [("acceptatie", "teamlid")]
    accepted = w.cross_deadline(run, "timer_acceptatie", start, "P5D", "signaal_acceptatie", "acceptatie")
    run.complete("acceptatie")
    run.complete("signaal_acceptatie")
    assert waiting(run) == {
        "timer_plan": plus(accepted, "P6W"),
        "timer_12w": plus(accepted, "P12W"),
        "timer_6m": plus(start, "P6M"),
        "timer_1j": plus(start, "P1Y"),
    }
    run.complete_all(keep=("fase3",))
    assert main_route(run) == ["triage", "acceptatie", "fase1", "fase2"]
    # T02 sits on the call activity of phases 1-3, so fase3 itself carries no due moment
    plan = w.cross_deadline(run, "timer_plan", accepted, "P6W", "signaal_plan", "fase3", on_task=False)
    run.complete_all(keep=("fase3",))
    run.complete("fase3")
    assert run.timer("timer_evaluatie").due_at == plus(plan, "P3M")
    access_end = plus(accepted, "P12W")
    w.live(run, access_end - timedelta(minutes=1))
    assert run.variable("directe_toegang") == "open"
    w.advance_to(rt, access_end)
    assert [(f.due_at, f.at) for f in run.fired("timer_12w")] == [(access_end, access_end)]
    assert run.variable("directe_toegang") == "verlopen" and open_main(run) == []
    close_at(run, plus(plan, "P1Y"), AFSCHALEN)
    assert main_route(run)[4:6] == ["fase3", "evaluatie"]
    # the schaduwcoördinator is recorded with the acceptance (not a role of the case team)
    assert run.completed("acceptatie")[0].data["schaduwcoordinator"] == "hart-van-brabant.teamlid"
    appointed(run, "hart-van-brabant")
    evaluations(run, plan, 3, 4)
    effect_measurement(run, start)
    closed(run, plus(plan, "P1Y"), start)


def test_rotterdam(rt: Runtime) -> None:
    """Rotterdam (Filomena): triage meeting (D2-RTM) → SOF7, which misses its 7 days (T20,
    signalled, goes on) → ISO assesses safety, chooses ICM and appoints → ICM plan; quarterly
    evaluations; after one year of ICM (T21) the review closes: the end of the year without
    extension closes even without durable safety (D8)."""
    start = w.now(rt)
    run = w.start(rt, "rotterdam")
    run.complete("triage")
    assert run.variable("triage_uitkomst") == "sof7"
    assert open_main(run) == [("sof7", "teamlid")]
    icm = w.cross_deadline(run, "timer_sof7", start, "P7D", "signaal_sof7", "sof7")
    run.complete_all()
    assert main_route(run) == ["triage", "sof7", "iso", "plan"]
    assert run.variable("iso_vervolg") == "icm"
    year = plus(icm, "P1Y")
    assert run.timer("timer_jaar").due_at == year
    end_of_term = {
        "jaarevaluatie": {"jaarbesluit": "afsluiten"},
        "eindevaluatie": {"duurzame_veiligheid": False, "afsluitreden": "einde_termijn"},
    }
    close_at(run, year, end_of_term)
    assert [(f.due_at, f.at) for f in run.fired("timer_jaar")] == [(year, year)]
    assert run.variable("afsluiting_toelichting") == "Einde van de termijn zonder verlenging"
    appointed(run, "rotterdam")
    evaluations(run, icm, 3, 4)
    effect_measurement(run, start)
    closed(run, year, start)


@pytest.mark.parametrize("region", REGIONS)
def test_a_less_worrying_case_changes_the_cadence_only_in_friesland(rt: Runtime, region: str) -> None:
    """D4 for a case judged less worrying (`zorgelijkheid` = `matig` on every plan and evaluation):
    Friesland reviews after 6 months (T08): 2 evaluations in the year; Hart van Brabant (T03),
    Drenthe (T14) and the others (T38) keep every 3 months: 4."""
    matig: Overrides = {"*": {"zorgelijkheid": "matig"}}
    run = w.start(rt, region)
    run.complete_all(matig)
    begun = w.now(rt)
    w.live(run, plus(begun, "P1Y"), matig, keep=("jaarevaluatie",))
    months = 6 if region == "friesland" else 3
    evaluations(run, begun, months, 12 // months)
    assert run.status == "open"
