"""Side paths of the process library (docs/regions.md §2): not indicated, consultation only, the
region-specific exits, acute unsafety, the escalation ladder, missed deadlines that remind and
escalate without cancelling work, bringing an evaluation forward, and closure refused by D8."""

from __future__ import annotations

from datetime import timedelta

import pytest

from config.settings import REGIONS
from engine import cases, tasks
from engine.errors import Conflict
from engine.runtime import Runtime
from tests.scenarios import walker as w
from tests.scenarios.walker import CaseRun, plus


@pytest.fixture
def rt(library_rt: Runtime) -> Runtime:
    return library_rt


def ended_early(run: CaseRun, *, appointed: bool = False) -> None:
    """Closed at once, without a trajectory: nothing waiting, nothing cancelled but a registration's
    effect measurement T0 (study regions), no later measurement; no regie unless the deciding
    meeting had appointed it (`appointed`)."""
    row = run.row()
    assert (row.status, row.phase, row.closed_at) == ("closed", "afsluiting", w.now(run.rt))
    assert run.open_tasks() == [] and run.timers() == []
    assert {t.spec_id for t in run.cancelled()} <= {"t0"}
    assert ("casusregisseur" in run.team()) == appointed
    assert not run.completed("t1") and not run.completed("t2")


def main_route(run: CaseRun) -> list[str]:
    """The completed tasks without the effect measurement (which runs beside the main path)."""
    return [s for s in run.route() if s not in ("t0", "t1", "t2")]


# ---------------------------------------------------------------------- not indicated → advice
# One criterion of the region that is not met (domain §5.5), next to VT's professional judgement.
CRITERION_NOT_MET = {
    "nml": {"hgkm_aanwezig": False},
    "utrecht": {"geen_vooruitgang": False},
    "haaglanden": {"structureel_onveilig_herhalend": False},
    "zeeland": {"structurele_onveiligheid_vermoed": False},
    "friesland": {"hermeldingen": False},
    "drenthe": {"kinderen_in_gezin": False},
    "west-brabant": {"maanden_zonder_vooruitgang": 12},  # T19: more than a year without progress
    "hart-van-brabant": {"hoog_risico_acuut_geweld": False},
    "rotterdam": {"te_complex_lokaal": False},
}
ADVICE_CASES = [(r, {"triage_oordeel": "advies"}) for r in REGIONS] + list(CRITERION_NOT_MET.items())


@pytest.mark.parametrize(
    ("region", "triage"),
    ADVICE_CASES,
    ids=[f"{r}-{'oordeel' if 'triage_oordeel' in t else 'criterium'}" for r, t in ADVICE_CASES],
)
def test_not_indicated_gives_advice_to_the_aanmelder_and_closes(
    rt: Runtime, region: str, triage: dict[str, object]
) -> None:
    run = w.start(rt, region)
    run.complete("triage", **triage)
    assert run.variable("triage_uitkomst") == "advies"
    advice = run.task("advies")
    assert advice.form_key == "advies_aan_aanmelder"
    assert advice.role == ("procesregisseur" if region == "utrecht" else "veilig_thuis")
    run.complete("advies")
    assert main_route(run) == ["triage", "advies"]
    ended_early(run)


def test_west_brabant_without_added_value_for_the_professionals_gives_advice(rt: Runtime) -> None:
    """S16: the precondition of the Interventieteam (involved professionals see added value) fails."""
    run = w.start(rt, "west-brabant")
    run.complete_all({"triage": {"meerwaarde_bevestigd": False}})
    assert main_route(run) == ["triage", "advies"]
    ended_early(run)


# ---------------------------------------------------------------------- consultation and advice only
CONSULTED_BY = {
    "nml": "teamlid", "utrecht": "procesregisseur", "haaglanden": "veilig_thuis", "zeeland": "teamlid",
    "friesland": "teamlid", "drenthe": "teamlid", "west-brabant": "teamlid", "hart-van-brabant": "teamlid",
    "rotterdam": "teamlid",
}  # fmt: skip


@pytest.mark.parametrize("region", REGIONS)
def test_a_request_for_consultation_only_is_triaged_consulted_and_closed(rt: Runtime, region: str) -> None:
    run = w.start(rt, region, verzoek_type="consultatie")
    run.complete("triage")
    assert run.variable("triage_uitkomst") == "consultatie"
    consult = run.task("consultatie")
    assert (consult.form_key, consult.role) == ("consultatie_advies", CONSULTED_BY[region])
    run.complete("consultatie")
    assert main_route(run) == ["triage", "consultatie"]
    ended_early(run)


@pytest.mark.parametrize("region", REGIONS)
def test_vt_may_choose_consultation_against_the_criteria(rt: Runtime, region: str) -> None:
    run = w.start(rt, region)
    run.complete_all({"triage": {"triage_oordeel": "consultatie"}})
    assert main_route(run) == ["triage", "consultatie"]
    ended_early(run)


@pytest.mark.parametrize(
    ("region", "process_id", "task", "role"),
    [
        ("nml", "mda_nml_consultatie", "consultatie", "teamlid"),
        ("zeeland", "mda_zeeland_consultatie", "consultatie", "teamlid"),
        ("rotterdam", "mda_rotterdam_inloop", "gesprek", "teamlid"),
    ],
)
def test_consultation_and_walk_in_processes(
    rt: Runtime, region: str, process_id: str, task: str, role: str
) -> None:
    run = w.start(rt, region, process_id=process_id)
    assert run.row().process_id == process_id
    assert [(t.spec_id, t.role) for t in run.open_tasks()] == [(task, role)]
    run.complete(task)
    ended_early(run)


# ---------------------------------------------------------------------- region-specific exits and routes
# The meeting that decides against MDA++ has appointed the regisseurs on its form (required person
# fields) before the exit; those cases close with a case team.
APPOINTED_BEFORE_EXIT = {"hvb-afgewezen", "rtm-andere-interventie", "hgl-andere-route", "zld-past-niet"}
REGION_PATHS = [
    # (id, region, overrides, route, closed)
    ("hvb-afgewezen", "hart-van-brabant", {"acceptatie": {"acceptatie": "afgewezen"}},
     ["triage", "acceptatie", "afgewezen"], True),
    ("rtm-andere-interventie", "rotterdam", {"iso": {"iso_vervolg": "andere_interventie"}},
     ["triage", "sof7", "iso", "andere_interventie"], True),
    ("rtm-direct-icm", "rotterdam", {"triage": {"snelle_forensische_inzet": False}},
     ["triage", "icm_toewijzing", "plan"], False),
    ("hgl-geen-mda-casus", "haaglanden", {"check_zvhh": {"mda_casus": False}},
     ["triage", "check_zvhh", "advies_zvhh"], True),
    ("hgl-andere-route", "haaglanden", {"weegoverleg": {"gewenste_route": "andere_route"}},
     ["triage", "check_zvhh", "weegoverleg", "andere_route"], True),
    ("zld-past-niet", "zeeland", {"expertiseteam": {"past_binnen_mda": "nee"}},
     ["triage", "expertiseteam", "advies_team"], True),
    ("zld-anoniem", "zeeland", {"triage": {"bespreking_wijze": "anoniem"}}, ["triage", "anoniem"], True),
    ("frl-anoniem", "friesland", {"huisbezoek": {"inbreng_wijze": "anoniem"}},
     ["triage", "huisbezoek", "anoniem"], True),
    ("drn-anoniem", "drenthe", {"toestemming": {"toestemming_gezin": "geweigerd"}},
     ["triage", "toestemming", "anoniem"], True),
    ("drn-blijft-oggz", "drenthe", {"triage": {"bekend_veiligheidshuis_oggz": "ja_blijft_daar"}},
     ["triage", "andere_route"], True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "region", "overrides", "route", "closes"), REGION_PATHS, ids=[p[0] for p in REGION_PATHS]
)
def test_region_specific_routes(
    rt: Runtime,
    path: str,
    region: str,
    overrides: dict[str, dict[str, object]],
    route: list[str],
    closes: bool,
) -> None:
    run = w.start(rt, region)
    run.complete_all(overrides)
    assert main_route(run) == route
    if closes:
        ended_early(run, appointed=path in APPOINTED_BEFORE_EXIT)
    else:
        team = run.team()
        assert team["casusregisseur"] == f"{region}.casusregisseur"
        assert run.timer("timer_evaluatie").due_at == plus(w.now(rt), "P3M")


def test_zeeland_local_approach_that_brings_safety_ends_without_mda(rt: Runtime) -> None:
    w.with_civil_care_window(rt)  # off by default (004:135): the region turns it on
    start = w.now(rt)
    run = w.start(rt, "zeeland")
    run.complete_all({"triage": {"lokale_aanpak": "eerst_lokaal"}})
    assert run.timer("gw_venster").due_at == plus(start, "P3M")
    w.advance_to(rt, plus(start, "P3M"))
    run.complete("top3_beoordeling", lokaal_vervolg="lokaal_afgerond")
    assert main_route(run) == ["triage", "top3_start", "top3_beoordeling"]
    ended_early(run)


# ---------------------------------------------------------------------- acute unsafety
@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("after_crisis", ["doorgaan", "stoppen"])
def test_acute_unsafety_puts_the_crisis_parties_first(rt: Runtime, region: str, after_crisis: str) -> None:
    run = w.start(rt, region, acuut_onveilig=True)
    acute_route = {"rotterdam": "crisispartijen_sof7", "hart-van-brabant": "crisispartijen_spoedplein"}
    assert run.variable("acute_route") == acute_route.get(region, "crisispartijen")
    crisis = run.task("crisis")
    assert [t.spec_id for t in run.open_tasks() if t.spec_id != "t0"] == ["crisis"]
    assert (crisis.role, crisis.name) == (
        "veilig_thuis",
        "Crisisinterventie coördineren: crisispartijen eerst",
    )
    run.complete("crisis", vervolg_na_crisis=after_crisis)
    if after_crisis == "stoppen":
        assert main_route(run) == ["crisis"]
        ended_early(run)
    else:
        assert [s for s in run.open_ids() if s != "t0"] == ["triage"] and run.status == "open"


# ---------------------------------------------------------------------- escalation ladder
LADDER = [
    # (region, procesregisseur's choice, team's choice, rungs)
    ("utrecht", "opgelost", None, ["melding", "actie_pr"]),
    ("nml", "consultatieteam", "opgelost", ["melding", "actie_pr", "herbespreking"]),
    ("zeeland", "consultatieteam", "management", ["melding", "actie_pr", "herbespreking", "management"]),
    ("haaglanden", "management", None, ["melding", "actie_pr", "management"]),
]
RUNG_ROLE = {"melding": "casusregisseur", "actie_pr": "procesregisseur", "herbespreking": "teamlid",
             "management": "coordinator"}  # fmt: skip


@pytest.mark.parametrize(
    ("region", "pr", "team", "rungs"), LADDER, ids=[f"{r}-{len(g)}" for r, _, _, g in LADDER]
)
def test_escalation_ladder(rt: Runtime, region: str, pr: str, team: str | None, rungs: list[str]) -> None:
    """casusregisseur reports stagnation → procesregisseur acts → the multidisciplinary team discusses
    it again → management/bestuur; every way up ends back in monitoring with a fresh wait."""
    run = w.to_monitoring(rt, region)
    w.advance(rt, "P3M")
    run.complete("evaluatie", besluit="opschalen", partners_leveren_bijdrage=False)
    assert run.open_ids() == ["melding"] and run.phase == "opschaling"
    answers = {"actie_pr": {"opschaling_vervolg": pr}, "herbespreking": {"herbespreking_vervolg": team}}
    climbed = []
    while run.open_tasks():  # one rung at a time
        [rung] = run.open_tasks()
        assert (rung.role, rung.phase) == (RUNG_ROLE[rung.spec_id], "opschaling")
        if rung.role in ("casusregisseur", "procesregisseur"):  # the appointed regisseur's own work
            assert rung.assignee_id == w.actor(rt, region, rung.role).user_id
        else:  # the team's or the coordinators' pool
            assert rung.assignee_id is None
        run.complete(rung.spec_id, **answers.get(rung.spec_id, {}))
        climbed.append(rung.spec_id)
    assert climbed == rungs
    if "management" in rungs:
        assert run.completed("management")[-1].data["opschaling_niveau"] == "management"
    assert run.status == "open" and run.open_ids() == [] and not run.cancelled()
    assert run.timer("timer_evaluatie").due_at == plus(w.now(rt), "P3M")


# ---------------------------------------------------------------------- missed deadlines
def test_a_missed_deadline_reminds_escalates_and_cancels_nothing(rt: Runtime) -> None:
    """Hart van Brabant, T01: the Veiligheidsteam has not decided five days after the mailbox (S9a).
    The coordinator gets a reminder in the inbox, the acceptance shows as overdue and the case as
    stuck; the coordinator escalates; the team decides late, and the case simply goes on."""
    region = "hart-van-brabant"
    start = w.now(rt)
    run = w.start(rt, region)
    run.complete("triage")
    due = w.cross_deadline(run, "timer_acceptatie", start, "P5D", "signaal_acceptatie", "acceptatie")
    coordinator, teamlid = w.actor(rt, region, "coordinator"), w.actor(rt, region, "teamlid")
    inbox, _ = tasks.inbox(rt, coordinator, tasks.TaskFilter())
    assert [t.name for t in inbox if t.case_id == run.id] == [
        "Effectmeting T0 afnemen (aanmelding)",  # a study region: T0 since the registration
        "Acceptatiebesluit niet binnen 5 dagen: signaleren",
    ]
    w.advance(rt, "PT1H")
    overdue, _ = tasks.inbox(rt, teamlid, tasks.TaskFilter(overdue=True))
    assert [(t.name, t.due_at) for t in overdue if t.case_id == run.id] == [
        ("Aanmelding beoordelen: accepteren of afwijzen (binnen 5 dagen)", due)
    ]
    stuck, _ = cases.list_cases(rt, coordinator, cases.CaseFilter(stuck=True))
    assert run.id in [c.id for c in stuck]
    run.complete(
        "signaal_acceptatie", termijn_actie="opgeschaald", termijn_toelichting="Teamleider ingelicht."
    )
    assert run.open_ids() == ["t0", "acceptatie"]
    run.complete("acceptatie")
    assert run.open_ids() == ["t0", "fase1"] and not run.cancelled()
    assert not [e for e in run.events("task_cancelled")]
    stuck, _ = cases.list_cases(rt, coordinator, cases.CaseFilter(stuck=True))
    assert run.id not in [c.id for c in stuck]


def test_work_done_in_time_silences_its_deadline(rt: Runtime) -> None:
    """Rotterdam, T20: SOF7 finished on day 3; day 7 passes without a reminder."""
    start = w.now(rt)
    run = w.start(rt, "rotterdam")
    run.complete("triage")
    assert run.timer("timer_sof7").due_at == plus(start, "P7D")
    w.advance(rt, "P3D")
    run.complete("sof7")
    assert "timer_sof7" not in run.timer_ids()
    w.advance_to(rt, plus(start, "P8D"))
    assert not run.fired("timer_sof7") and not run.is_open("signaal_sof7")
    assert run.open_ids() == ["t0", "iso"]


def test_work_inside_a_call_activity_is_due_at_the_deadline_around_it(rt: Runtime) -> None:
    """Hart van Brabant, T02 (S9c): phases 1-3 should have their plan within 6 weeks of acceptance;
    the deadline sits on the call activity of the phases, so the phase tasks are due then."""
    run = w.start(rt, "hart-van-brabant")
    run.complete_all(keep=("fase1",))
    accepted = w.now(rt)
    assert run.timer("timer_plan").due_at == plus(accepted, "P6W")
    assert run.task("fase1").due_at == plus(accepted, "P6W")


# ---------------------------------------------------------------------- bringing an evaluation forward
def test_an_evaluation_brought_forward_opens_at_once_and_restarts_the_wait(rt: Runtime) -> None:
    """Friesland, less worrying: the next review is 6 months out (T08); after a new incident at 2
    months the casusregisseur brings it forward (002:3156). The evaluation opens at once, the
    6-month timer is withdrawn without firing; the evaluation finds the case more worrying, so the
    next one follows 3 months later (D4 is decided again in every round)."""
    matig = {"*": {"zorgelijkheid": "matig"}}
    run = w.to_monitoring(rt, "friesland", **matig)
    planned = w.now(rt)
    assert run.timer("timer_evaluatie").due_at == plus(planned, "P6M")
    with pytest.raises(Conflict):  # a message the case does not wait for
        run.send("iets_anders")
    incident = w.advance(rt, "P2M")
    assert run.waiting_messages() == ["acuut_onveilig", "evaluatie_vervroegen"]
    assert run.send("evaluatie_vervroegen") == []
    assert run.open_ids() == ["evaluatie"] and "timer_evaluatie" not in run.timer_ids()
    assert [e.data for e in run.events("message_delivered")] == [{"name": "evaluatie_vervroegen"}]
    with pytest.raises(Conflict):  # the evaluation is open: nothing waits for the message now
        run.send("evaluatie_vervroegen")
    run.complete("evaluatie", zorgelijkheid="hoog", nieuwe_meldingen=1)
    assert run.timer("timer_evaluatie").due_at == plus(incident, "P3M")
    assert not run.fired("timer_evaluatie")
    assert run.waiting_messages() == ["acuut_onveilig", "evaluatie_vervroegen"]
    assert run.timer("timer_jaar").due_at == plus(planned, "P1Y")  # the yearly review is untouched


# ---------------------------------------------------------------------- closure refused by D8
REFUSALS = [
    ("haaglanden", {"client_akkoord": False}, "Afsluiten alleen als het hele team en de cliënt akkoord zijn"),
    ("nml", {"herstel_aanwezig": False}, "Niet aan alle NML-afsluitcriteria voldaan"),
    ("drenthe", {"duurzame_veiligheid": False}, "Nog geen duurzame veiligheid"),
    (
        "rotterdam",
        {"duurzame_veiligheid": False},
        "Minder dan 12 maanden: het team blijft in principe een jaar betrokken",
    ),
]


@pytest.mark.parametrize(("region", "answers", "reason"), REFUSALS, ids=[r for r, _, _ in REFUSALS])
def test_closure_refused_by_d8_keeps_the_case_in_monitoring(
    rt: Runtime, region: str, answers: dict[str, object], reason: str
) -> None:
    """S11 (Haaglanden: the team finds it safe, the client does not agree) and its kin elsewhere."""
    run = w.to_monitoring(rt, region)
    w.advance(rt, "P3M")
    run.complete("evaluatie", besluit="afschalen")
    run.complete("eindevaluatie", **answers)
    assert run.variable("afsluiting_besluit") == "doorgaan"
    assert run.variable("afsluiting_toelichting") == reason
    assert run.status == "open" and run.open_ids() == [] and not run.completed("overdracht")
    assert run.timer("timer_evaluatie").due_at == plus(w.now(rt), "P3M")


# ---------------------------------------------------------------------- the yearly review
@pytest.mark.parametrize("region", ["friesland", "west-brabant", "rotterdam"])
def test_a_yearly_review_whose_closure_d8_refuses_comes_back(rt: Runtime, region: str) -> None:
    """The review decides to close, but the closure criteria are not met (D8 'doorgaan'): the case
    stays in monitoring, and the review comes back after the chosen term instead of never again."""
    run = w.to_monitoring(rt, region)
    year = plus(w.now(rt), "P1Y")
    w.live(run, year - timedelta(seconds=1))
    w.advance_to(rt, year)
    run.complete_all(
        {
            "jaarevaluatie": {"jaarbesluit": "afsluiten", "verlenging_termijn": "P3M"},
            "eindevaluatie": {"duurzame_veiligheid": False, "afsluitreden": "duurzaam_veilig"},
        }
    )
    assert run.status == "open" and run.variable("afsluiting_besluit") == "doorgaan"
    assert run.timer("timer_verlenging").due_at == plus(year, "P3M")
    w.advance_to(rt, plus(year, "P3M"))
    assert run.is_open("jaarevaluatie")


@pytest.mark.parametrize("region", ["friesland", "west-brabant", "rotterdam"])
def test_a_refused_closure_does_not_postpone_the_yearly_review(rt: Runtime, region: str) -> None:
    """An early closure attempt that D8 refuses re-enters the monitoring; the review stays one year
    after the monitoring first started."""
    run = w.to_monitoring(rt, region)
    year = plus(w.now(rt), "P1Y")
    w.advance(rt, "P3M")
    run.complete("evaluatie", besluit="afschalen")
    run.complete("eindevaluatie", duurzame_veiligheid=False)
    assert run.status == "open" and run.variable("afsluiting_besluit") == "doorgaan"
    assert run.timer("timer_jaar").due_at == year
    w.live(run, year, keep=("jaarevaluatie",))
    assert [(f.due_at, f.at) for f in run.fired("timer_jaar")] == [(year, year)]
    assert [t.spec_id for t in run.open_tasks()] == ["jaarevaluatie"]


@pytest.mark.parametrize("region", ["friesland"])
def test_an_early_closure_ends_the_pending_yearly_review(rt: Runtime, region: str) -> None:
    """Durable safety after 6 months: the case closes through the monitoring, and the yearly review
    that was still waiting goes with it (terminate end) instead of keeping the case open. (In
    West-Brabant and Rotterdam D8 refuses a closure before 12 months: test_domain_fidelity.)"""
    run = w.to_monitoring(rt, region)
    begun = w.now(rt)
    w.live(run, plus(begun, "P6M") - timedelta(seconds=1))
    w.advance_to(rt, plus(begun, "P6M"))
    run.complete_all({"evaluatie": {"besluit": "afschalen"}})
    row = run.row()
    assert (row.status, row.closed_at) == ("closed", plus(begun, "P6M"))
    assert run.timers() == [] and run.open_tasks() == []
    assert not run.fired("timer_jaar") and not run.completed("jaarevaluatie")
    assert len(run.completed("evaluatie")) == 2
