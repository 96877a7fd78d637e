"""The restricted script engine for every BPMN script, condition, timer expression and DMN cell.

Models are uploaded by region designers, so their scripts are untrusted: the AST is checked
against a whitelist (no imports, no names or attributes starting with '_', no loops without a
bound, no function definitions, no constant work past the limits), only a short list of builtins
exists at run time, and every operator and call is routed through a Meter (engine/script_budget.py)
that bounds steps, CPU time and memory. There is no switch to turn any of this off.
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

from engine import script_budget
from engine.script_budget import Meter, ScriptLimitExceeded, check_output
from engine.script_calendar import maanden_sinds, vandaag

__all__ = ["ScriptLimitExceeded", "ScriptRejected", "check", "compile_checked", "make_script_engine"]

MAX_STEPS = 100_000
MAX_RANGE = 10_000
METER = "_mda"  # the name under which a run's Meter is reachable from the guarded script

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
    "vandaag": vandaag, "maanden_sinds": maanden_sinds,  # the case's calendar (engine/script_calendar.py)
}  # fmt: skip

_FORBIDDEN_NAMES = frozenset(dir(builtins)) - frozenset(SAFE_BUILTINS)


class ScriptRejected(Exception):
    """The script breaks a rule of the sandbox; `problems` says which."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def check(source: str, mode: str = "eval") -> list[str]:
    """Return every rule the script breaks (empty when it may run). mode: 'eval' or 'exec'.
    Besides the whitelist, constant work that is too big (range(10**9), 'a' * 10**10, nested loops
    over constant ranges past the step limit) is refused here, before a case ever runs it."""
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
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) and _has_slice(node):
            problems.append("toewijzing aan een deel van een lijst (slice) niet toegestaan")
        elif isinstance(node, ast.AugAssign) and any(isinstance(n, ast.Call) for n in ast.walk(node.target)):
            problems.append("samengestelde toewijzing aan een berekend element niet toegestaan")
    if not problems:
        problems += _constant_work_problems(tree)
    return sorted(set(problems))


def _has_slice(node: ast.Subscript) -> bool:
    return isinstance(node.slice, ast.Slice) or (
        isinstance(node.slice, ast.Tuple) and any(isinstance(e, ast.Slice) for e in node.slice.elts)
    )


class _NotConstant(Exception):
    pass


def _fold(node: ast.AST, meter: Meter) -> Any:
    """The value of an expression made of constants only, computed under the run-time guards."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)) and isinstance(node.ctx, ast.Load):
        values = [_fold(element, meter) for element in node.elts]
        return values if isinstance(node, ast.List) else tuple(values)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _fold(node.operand, meter)
        return -value if isinstance(node.op, ast.USub) else +value
    if isinstance(node, ast.BinOp):
        return meter.op(type(node.op).__name__, _fold(node.left, meter), _fold(node.right, meter))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise _NotConstant
        return _safe_range(*[_fold(argument, meter) for argument in node.args])
    raise _NotConstant


def _iterations(node: ast.expr) -> int:
    """How often a loop over this expression runs, when that is known before running (else 1)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
        try:
            return len(range(*[_fold(argument, Meter(MAX_STEPS)) for argument in node.args]))
        except (_NotConstant, ScriptLimitExceeded, TypeError, ValueError, OverflowError):
            return 1
    return 1


def _constant_work_problems(tree: ast.AST) -> list[str]:
    problems: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.BinOp, ast.Call)):
            try:
                _fold(node, Meter(MAX_STEPS))
            except ScriptLimitExceeded as error:
                problems.append(f"te groot: {error}")
            except Exception:  # noqa: BLE001 - not constant, or an error the run itself will report
                pass
    worst = 0

    def visit(node: ast.AST, factor: int) -> None:
        nonlocal worst
        if isinstance(node, ast.For):
            factor *= _iterations(node.iter)
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            for generator in node.generators:
                factor *= _iterations(generator.iter)
        worst = max(worst, factor)
        for child in ast.iter_child_nodes(node):
            visit(child, factor)

    visit(tree, 1)
    if worst > MAX_STEPS:
        problems.append(f"lus te groot: {worst} herhalingen (meer dan {MAX_STEPS} stappen)")
    return problems


class _Guard(ast.NodeTransformer):
    """Routes everything that can build a large value through the run's meter: every operator,
    every call, slices, f-strings, unpacking displays and comprehensions. So 'x' * 10**10, doubling
    a list in a short loop, or copying a big list ten thousand times fails fast, not at the OOM."""

    def _meter(
        self, method: str, node: ast.AST, *args: ast.expr, keywords: list[ast.keyword] | None = None
    ) -> ast.expr:
        func = ast.Attribute(value=ast.Name(id=METER, ctx=ast.Load()), attr=method, ctx=ast.Load())
        return ast.copy_location(ast.Call(func=func, args=list(args), keywords=keywords or []), node)

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        return self._meter("op", node, ast.Constant(type(node.op).__name__), node.left, node.right)

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        # x op= v  →  x = meter.op("iOp", x, v); check() made sure the target has no calls.
        self.generic_visit(node)
        target = node.target
        if not isinstance(target, (ast.Name, ast.Subscript)):
            return node
        loaded = ast.copy_location(_as_load(target), target)
        value = self._meter("op", node, ast.Constant("i" + type(node.op).__name__), loaded, node.value)
        return ast.copy_location(ast.Assign(targets=[target], value=value), node)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        return self._meter("call", node, node.func, *node.args, keywords=node.keywords)

    def _sized(self, node: ast.expr) -> ast.AST:
        self.generic_visit(node)
        return self._meter("size", node, node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        return self._sized(node)

    def visit_ListComp(self, node: ast.ListComp) -> ast.AST:
        return self._sized(node)

    def visit_SetComp(self, node: ast.SetComp) -> ast.AST:
        return self._sized(node)

    def visit_DictComp(self, node: ast.DictComp) -> ast.AST:
        return self._sized(node)

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        if isinstance(node.ctx, ast.Load) and _has_slice(node):
            return self._sized(node)
        self.generic_visit(node)
        return node

    def _display(self, node: ast.List | ast.Tuple | ast.Set) -> ast.AST:
        if isinstance(getattr(node, "ctx", ast.Load()), ast.Load) and any(
            isinstance(e, ast.Starred) for e in node.elts
        ):
            return self._sized(node)
        self.generic_visit(node)
        return node

    def visit_List(self, node: ast.List) -> ast.AST:
        return self._display(node)

    def visit_Tuple(self, node: ast.Tuple) -> ast.AST:
        return self._display(node)

    def visit_Set(self, node: ast.Set) -> ast.AST:
        return self._display(node)

    def visit_Dict(self, node: ast.Dict) -> ast.AST:
        return self._sized(node) if None in node.keys else self.generic_visit(node)


def _as_load(target: ast.Name | ast.Subscript) -> ast.expr:
    if isinstance(target, ast.Name):
        return ast.Name(id=target.id, ctx=ast.Load())
    return ast.Subscript(value=target.value, slice=target.slice, ctx=ast.Load())


@lru_cache(maxsize=4096)
def compile_checked(source: str, mode: str) -> CodeType:
    """Compile a script after checking it; raises ScriptRejected. Cached per source text."""
    problems = check(source, mode)
    if problems:
        raise ScriptRejected(problems)
    tree = ast.fix_missing_locations(_Guard().visit(ast.parse(source, mode=mode)))
    return compile(tree, "<bpmn-script>", mode)


_UNTRACED = frozenset({__file__, script_budget.__file__})


def _run_bounded(code: CodeType, namespace: dict[str, Any], meter: Meter) -> Any:
    """Evaluate with the meter's budget: every traced line or call of the script costs a step; the
    sandbox's own helpers (this module) run untraced and free."""

    def tracer(frame: FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        if frame.f_code.co_filename in _UNTRACED:
            return None
        meter.tick()
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

    def _namespace(
        self, context: Mapping[str, Any], external: Mapping[str, Any] | None, meter: Meter
    ) -> dict[str, Any]:
        namespace: dict[str, Any] = dict(context)
        namespace.update(external or {})
        namespace["__builtins__"] = SAFE_BUILTINS
        namespace[METER] = meter
        return namespace

    def evaluate(self, expression: str, context: dict[str, Any], external_context: Any = None) -> Any:
        code = compile_checked(expression.strip(), "eval")
        meter = Meter(self.step_limit)
        result = _run_bounded(code, self._namespace(context, external_context, meter), meter)
        check_output(result)
        return result

    def execute(self, script: str, context: dict[str, Any], external_context: Any = None) -> bool:
        code = compile_checked(script, "exec")
        meter = Meter(self.step_limit)
        namespace = self._namespace(context, external_context, meter)
        _run_bounded(code, namespace, meter)
        injected = {"__builtins__", METER, *(external_context or {})}
        written = {
            key: value
            for key, value in namespace.items()
            if key not in injected and not callable(value) and not isinstance(value, Meter)
        }
        check_output([value for key, value in written.items() if context.get(key) is not value])
        for key in list(context):
            if key not in namespace:
                del context[key]  # the script deleted it
        context.update(written)
        return True

    def call_service(self, context: Any, **kwargs: Any) -> Any:
        raise ScriptRejected(["service-taken zijn niet toegestaan"])


def make_script_engine(step_limit: int = MAX_STEPS) -> PythonScriptEngine:
    return PythonScriptEngine(environment=RestrictedEnvironment(step_limit))
