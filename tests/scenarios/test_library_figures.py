"""The figures of docs/regions.md §3 (user tasks, timers and decisions per region) against the BPMN
files of the process library, so the table cannot drift from the models."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from config.settings import PROJECT_ROOT, REGIONS

WORKFLOWS = PROJECT_ROOT / "workflows"
DOC = PROJECT_ROOT / "docs" / "regions.md"
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
CAMUNDA = "{http://camunda.org/schema/1.0/bpmn}"


@dataclass(frozen=True)
class Counts:
    user_tasks: int
    timers: int
    decisions: frozenset[str]


@dataclass(frozen=True)
class Process:
    id: str
    file: Path
    counts: Counts
    calls: tuple[str, ...]


def read_process(path: Path) -> Process:
    root = etree.parse(str(path)).getroot()
    process = root.find(f"{BPMN}process")
    assert process is not None, path
    counts = Counts(
        user_tasks=len(root.findall(f".//{BPMN}userTask")),
        timers=len(root.findall(f".//{BPMN}timerEventDefinition")),
        decisions=frozenset(
            task.get(f"{CAMUNDA}decisionRef") for task in root.findall(f".//{BPMN}businessRuleTask")
        ),
    )
    calls = tuple(c.get("calledElement") for c in root.findall(f".//{BPMN}callActivity"))
    return Process(process.get("id"), path, counts, calls)


def processes(folder: Path) -> dict[str, Process]:
    return {p.id: p for p in map(read_process, sorted(folder.glob("*.bpmn")))}


COMMON = processes(WORKFLOWS / "common")


def reachable(start: str, known: dict[str, Process]) -> list[Process]:
    """The process and everything it calls, transitively, each once."""
    seen: dict[str, Process] = {}
    todo = [start]
    while todo:
        pid = todo.pop()
        if pid not in seen:
            seen[pid] = known[pid]
            todo.extend(seen[pid].calls)
    return list(seen.values())


def total(found: list[Process]) -> Counts:
    return Counts(
        sum(p.counts.user_tasks for p in found),
        sum(p.counts.timers for p in found),
        frozenset().union(*(p.counts.decisions for p in found)),
    )


@dataclass(frozen=True)
class Figures:
    own: Counts
    all: Counts
    others: dict[str, int]  # separately started processes → user tasks


def figures(region: str) -> Figures:
    own_processes = processes(WORKFLOWS / "regions" / region)
    main = "mda_" + region.replace("-", "_")
    used = reachable(main, own_processes | COMMON)
    own = [p for p in used if p.id in own_processes]
    shared_decisions = frozenset().union(*(p.counts.decisions for p in used if p.id in COMMON))
    own_counts = total(own)
    own_counts = Counts(own_counts.user_tasks, own_counts.timers, own_counts.decisions - shared_decisions)
    # D2 generic lies in workflows/common but is NML's own decision (its main process calls it)
    others = {p.id: p.counts.user_tasks for p in own_processes.values() if p not in own}
    return Figures(own_counts, total(used), others)


def documented() -> dict[str, list[str]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] in REGIONS and len(cells) == 7:
            rows[cells[0]] = cells
    return rows


def leading_numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"(?<![A-Z\d])\d+(?![\d-])", text.split("(")[0])]


@pytest.mark.parametrize("region", REGIONS)
def test_the_region_table_matches_the_models(region: str) -> None:
    row = documented()[region]
    found = figures(region)
    assert sum(leading_numbers(row[2])) == found.own.user_tasks, "own user tasks"
    assert leading_numbers(row[3])[0] == found.own.timers, "own timers"
    assert leading_numbers(row[4])[0] == len(found.own.decisions), "own decisions"
    assert [int(n) for n in row[5].split("/")] == [
        found.all.user_tasks,
        found.all.timers,
        len(found.all.decisions),
    ], "totals incl. shared"
    others = dict(re.findall(r"`(\w+)` \((\d+)", row[6]))
    assert {k: int(v) for k, v in others.items()} == found.others, "other processes"


def test_the_shared_blocks_add_what_the_doc_says() -> None:
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    said = re.search(r"which add (\d+) user tasks .*?, (\d+) timers .*?and (\d+) decisions", text)
    assert said is not None
    shared = total(list(COMMON.values()))
    assert [int(n) for n in said.groups()] == [shared.user_tasks, shared.timers, len(shared.decisions)]


def region_line(region: str) -> str:
    """The figures of one region as the report gives them (used by tooling, not printed)."""
    f = figures(region)
    return (
        f"{region}: {f.all.user_tasks} user tasks, {f.all.timers} timers, {len(f.all.decisions)} decisions "
        f"(own {f.own.user_tasks} / {f.own.timers} / {len(f.own.decisions)})"
    )
