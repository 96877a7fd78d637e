"""The restricted script engine for every BPMN script, condition, timer expression and DMN cell.

Models are uploaded by region designers, so their scripts are untrusted: the AST is checked
against a whitelist (no imports, no names or attributes starting with '_', no loops without a
bound, no function definitions), only a short list of builtins exists at run time, arithmetic
that could allocate without limit is guarded, and execution stops after a fixed number of steps.
There is no switch to turn any of this off.
"""

from __future__ import annotations

import ast
import builtins
import sys
from collections.abc import Callable, Mapping
from functools import lru_cache
from types import CodeType, FrameType
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

MAX_STEPS = 100_000
MAX_SEQUENCE = 1_000_000
MAX_RANGE = 10_000
MAX_POWER_BITS = 10_000
BINOP_GUARD = "_mda_binop"

_ALLOWED_NODES: tuple[type[ast.AST], ...] = (
    ast.Module, ast.Expression, ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.If, ast.For,
    ast.Break, ast.Continue, ast.Pass, ast.Delete,
    ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.Compare, ast.IfExp, ast.Call, ast.keyword,
    ast.Name, ast.Load, ast.Store, ast.Del, ast.Constant, ast.Attribute, ast.Subscript, ast.Slice,
    ast.List, ast.Tuple, ast.Dict, ast.Set, ast.Starred,
    ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.comprehension,
    ast.JoinedStr, ast.FormattedValue,
    ast.And, ast.Or, ast.Not, ast.Invert, ast.UAdd, ast.USub,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.LShift, ast.RShift,
    ast.BitAnd, ast.BitOr, ast.BitXor,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot,
)  # fmt: skip

# Methods of plain data (str, list, dict, set) that neither reach the interpreter's internals nor
# multiply memory in one call. Left out on purpose: format/format_map ("{0.__class__}".format(x)
# walks attributes), join/replace/extend/ljust (one call can build gigabytes).
_ALLOWED_METHODS = frozenset(
    "get keys values items lower upper strip lstrip rstrip split startswith endswith "
    "count index find append pop remove copy isdigit title capitalize".split()
)


def _safe_sum(values: Any) -> Any:
    """sum() of numbers only: sum(lists, []) would concatenate without bound in one call."""
    return sum(values)


def _safe_range(*args: int) -> range:
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise ScriptLimitExceeded(f"range met meer dan {MAX_RANGE} elementen")
    return result


SAFE_BUILTINS: dict[str, Any] = {
    "abs": abs, "all": all, "any": any, "bool": bool, "dict": dict, "enumerate": enumerate,
    "float": float, "int": int, "len": len, "list": list, "max": max, "min": min,
    "range": _safe_range, "round": round, "set": set, "sorted": sorted, "str": str, "sum": _safe_sum,
    "tuple": tuple, "zip": zip, "True": True, "False": False, "None": None,
}  # fmt: skip

_FORBIDDEN_NAMES = frozenset(dir(builtins)) - frozenset(SAFE_BUILTINS)


class ScriptRejected(Exception):
    """The script breaks a rule of the sandbox; `problems` says which."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class ScriptLimitExceeded(Exception):
    """The script used more steps or memory than a process model may."""


def check(source: str, mode: str = "eval") -> list[str]:
    """Return every rule the script breaks (empty when it may run). mode: 'eval' or 'exec'."""
    if not isinstance(source, str):
        return ["script is geen tekst"]
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as error:
        return [f"syntaxfout: {error.msg} (regel {error.lineno})"]
    problems: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            problems.append(f"niet toegestaan: {type(node).__name__}")
        elif isinstance(node, ast.Name) and (node.id.startswith("_") or node.id in _FORBIDDEN_NAMES):
            problems.append(f"naam niet toegestaan: {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr not in _ALLOWED_METHODS:
            problems.append(f"attribuut niet toegestaan: {node.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, (ast.Call, ast.Subscript)):
            problems.append("aanroep van een berekende functie niet toegestaan")
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            problems.append("opmaak-specificatie in f-string niet toegestaan")
    return sorted(set(problems))


class _GuardArithmetic(ast.NodeTransformer):
    """Route +, *, %, ** and << through a guard, so 'x' * 10**10 or doubling a string in a short
    loop fails fast instead of eating memory."""

    GUARDED = (ast.Add, ast.Mult, ast.Mod, ast.Pow, ast.LShift)

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if not isinstance(node.op, self.GUARDED):
            return node
        call = ast.Call(
            func=ast.Name(id=BINOP_GUARD, ctx=ast.Load()),
            args=[ast.Constant(type(node.op).__name__), node.left, node.right],
            keywords=[],
        )
        return ast.copy_location(call, node)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        if not isinstance(node.op, self.GUARDED) or not isinstance(node.target, ast.Name):
            return node
        value = ast.BinOp(left=ast.Name(id=node.target.id, ctx=ast.Load()), op=node.op, right=node.value)
        guarded = self.visit_BinOp(value)
        assert isinstance(guarded, ast.expr)
        assign = ast.Assign(targets=[node.target], value=guarded)
        return ast.copy_location(assign, node)


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else 1


def _guarded_binop(op: str, left: Any, right: Any) -> Any:
    if op == "Add":
        if _size(left) + _size(right) > MAX_SEQUENCE:
            raise ScriptLimitExceeded("resultaat te groot")
        return left + right
    if op == "Mod":
        if isinstance(left, (str, bytes)):
            raise ScriptLimitExceeded("tekstopmaak met % is niet toegestaan")
        return left % right
    if op == "Mult":
        if isinstance(left, int) and isinstance(right, (str, bytes, list, tuple)):
            left, right = right, left
        if isinstance(right, int) and _size(left) * max(right, 0) > MAX_SEQUENCE:
            raise ScriptLimitExceeded("resultaat te groot")
        return left * right
    if op == "Pow":
        if isinstance(left, int) and isinstance(right, int):
            if abs(right) > MAX_POWER_BITS or max(abs(left), 2).bit_length() * abs(right) > MAX_POWER_BITS:
                raise ScriptLimitExceeded("macht te groot")
        return left**right
    if isinstance(right, int) and right > MAX_POWER_BITS:  # LShift
        raise ScriptLimitExceeded("verschuiving te groot")
    return left << right


@lru_cache(maxsize=4096)
def compile_checked(source: str, mode: str) -> CodeType:
    """Compile a script after checking it; raises ScriptRejected. Cached per source text."""
    problems = check(source, mode)
    if problems:
        raise ScriptRejected(problems)
    tree = ast.fix_missing_locations(_GuardArithmetic().visit(ast.parse(source, mode=mode)))
    return compile(tree, "<bpmn-script>", mode)


def _run_bounded(code: CodeType, namespace: dict[str, Any], limit: int) -> Any:
    """Evaluate with a step budget: every traced line or call costs one step."""
    steps = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        nonlocal steps
        steps += 1
        if steps > limit:
            raise ScriptLimitExceeded(f"script duurt te lang (meer dan {limit} stappen)")
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        return eval(code, namespace)
    finally:
        sys.settrace(previous)


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):  # type: ignore[misc]
    """SpiffWorkflow's script environment seam, replaced: task data in, task data out, no more."""

    def __init__(self, step_limit: int = MAX_STEPS) -> None:
        super().__init__({})
        self.step_limit = step_limit

    def _namespace(self, context: Mapping[str, Any], external: Mapping[str, Any] | None) -> dict[str, Any]:
        namespace: dict[str, Any] = dict(context)
        namespace.update(external or {})
        namespace["__builtins__"] = SAFE_BUILTINS
        namespace[BINOP_GUARD] = _guarded_binop
        return namespace

    def evaluate(self, expression: str, context: dict[str, Any], external_context: Any = None) -> Any:
        code = compile_checked(expression.strip(), "eval")
        return _run_bounded(code, self._namespace(context, external_context), self.step_limit)

    def execute(self, script: str, context: dict[str, Any], external_context: Any = None) -> bool:
        code = compile_checked(script, "exec")
        namespace = self._namespace(context, external_context)
        _run_bounded(code, namespace, self.step_limit)
        injected = {"__builtins__", BINOP_GUARD, *(external_context or {})}
        for key in list(context):
            if key not in namespace:
                del context[key]  # the script deleted it
        for key, value in namespace.items():
            if key not in injected and not callable(value):
                context[key] = value
        return True

    def call_service(self, context: Any, **kwargs: Any) -> Any:
        raise ScriptRejected(["service-taken zijn niet toegestaan"])


def make_script_engine(step_limit: int = MAX_STEPS) -> PythonScriptEngine:
    return PythonScriptEngine(environment=RestrictedEnvironment(step_limit))
