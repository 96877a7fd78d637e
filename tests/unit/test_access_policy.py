"""Every access rule lives in engine/access.py (issue 8): the policy table names known roles only,
and no other engine module keeps a role list of its own or words the not-found answer itself."""

from __future__ import annotations

import re

from config.settings import PROJECT_ROOT, ROLES
from engine import access

ENGINE = PROJECT_ROOT / "engine"


def test_the_policy_table_names_known_roles_only() -> None:
    for action, rule in access.POLICY.items():
        assert rule.roles and set(rule.roles) <= set(ROLES), action
        assert rule.refusal.strip(), action


def test_no_other_engine_module_keeps_a_role_list_or_its_own_not_found() -> None:
    role_list = re.compile(r"\(\s*\"(" + "|".join(ROLES) + r")\"\s*,")
    offenders = []
    for path in sorted(ENGINE.rglob("*.py")):
        if path.name == "access.py" or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if role_list.search(text) or 'case_not_found"' in text or 'task_not_found"' in text:
            offenders.append(path.relative_to(PROJECT_ROOT).as_posix())
    assert offenders == []
