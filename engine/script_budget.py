"""What one run of a model's script may spend: steps, CPU time, the size of each value it builds
and of all of them together, the size of integers, and the shape of the data it leaves behind.
The guarded script (engine/scripting.py) calls the Meter for every operator and call."""

from __future__ import annotations

import math
import operator
import time
from collections.abc import Callable
from typing import Any

MAX_SEQUENCE = 1_000_000  # elements (or characters) of any one value a script builds
MAX_ALLOCATED = 4 * MAX_SEQUENCE  # elements of all values one run builds together
MAX_POWER_BITS = 10_000  # of any integer a script computes
MAX_CPU_SECONDS = 1.0  # of one run: a single step may sort or count a million elements
MAX_DEPTH = 50  # nesting of the data a script leaves behind


class ScriptLimitExceeded(Exception):
    """The script used more steps or memory than a process model may."""


class ScriptDataRefused(ValueError):
    """The script left data behind that JSON cannot hold faithfully (a set, bytes, a generator,
    NaN, a lone surrogate, a number as a key): refused rather than stored as non-standard JSON."""


def _json_problem(item: Any) -> str | None:
    """Why this single value cannot be stored as standard JSON (None when it can)."""
    if item is None or isinstance(item, (bool, int, list, tuple, dict)):
        return None
    if isinstance(item, float):
        return None if math.isfinite(item) else f"het getal {item!r} (alleen eindige getallen)"
    if isinstance(item, str):
        try:
            item.encode("utf-8")
        except UnicodeEncodeError:
            return "tekst met een ongeldig teken (losse surrogaat)"
        return None
    return f"een waarde van het type {type(item).__name__} (alleen tekst, getallen, lijsten en dicts)"


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)) else 1


_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "Add": operator.add, "Sub": operator.sub, "Mult": operator.mul, "Div": operator.truediv,
    "FloorDiv": operator.floordiv, "Mod": operator.mod, "Pow": operator.pow,
    "LShift": operator.lshift, "RShift": operator.rshift, "BitAnd": operator.and_,
    "BitOr": operator.or_, "BitXor": operator.xor,
    "iAdd": operator.iadd, "iSub": operator.isub, "iMult": operator.imul, "iDiv": operator.itruediv,
    "iFloorDiv": operator.ifloordiv, "iMod": operator.imod, "iPow": operator.ipow,
    "iLShift": operator.ilshift, "iRShift": operator.irshift, "iBitAnd": operator.iand,
    "iBitOr": operator.ior, "iBitXor": operator.ixor,
}  # fmt: skip

_SEQUENCES = (str, bytes, list, tuple)
# Calls that hand back what already exists (an element, a view, a number) rather than build.
_NOT_BUILDING = frozenset(
    {"get", "pop", "keys", "values", "items", "index", "count", "find", "len", "max", "min"}
)


class Meter:
    """The budget of one script run: steps, CPU time, the size of each value it builds and the
    elements of all of them together."""

    def __init__(self, step_limit: int) -> None:
        self.step_limit = step_limit
        self.steps = 0
        self.allocated = 0
        self.cpu_deadline = time.thread_time() + MAX_CPU_SECONDS

    def tick(self) -> None:
        self.steps += 1
        if self.steps > self.step_limit:
            raise ScriptLimitExceeded(f"script duurt te lang (meer dan {self.step_limit} stappen)")
        if time.thread_time() > self.cpu_deadline:
            raise ScriptLimitExceeded(f"script duurt te lang (meer dan {MAX_CPU_SECONDS:g} s rekentijd)")

    def size(self, value: Any) -> Any:
        size = _size(value)
        if size > MAX_SEQUENCE:
            raise ScriptLimitExceeded(f"resultaat te groot (meer dan {MAX_SEQUENCE} elementen)")
        if size > 1:
            self.allocated += size
            if self.allocated > MAX_ALLOCATED:
                raise ScriptLimitExceeded(f"script bouwt te veel op (meer dan {MAX_ALLOCATED} elementen)")
        return value

    def op(self, name: str, left: Any, right: Any) -> Any:
        kind = name.removeprefix("i")
        if kind == "Mod" and isinstance(left, (str, bytes)):
            raise ScriptLimitExceeded("tekstopmaak met % is niet toegestaan")
        if kind == "Mult" and isinstance(left, int) and isinstance(right, _SEQUENCES):
            left, right = right, left
            name = kind  # int * sequence has no in-place form
        if kind == "Mult" and isinstance(left, _SEQUENCES) and isinstance(right, int):
            if _size(left) * max(right, 0) > MAX_SEQUENCE:
                raise ScriptLimitExceeded("resultaat te groot")
        elif kind == "Add" and isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
            if _size(left) + _size(right) > MAX_SEQUENCE:
                raise ScriptLimitExceeded("resultaat te groot")
        elif kind in ("Mult", "Pow", "LShift") and _is_int(left) and _is_int(right):
            if _int_bits(kind, left, right) > MAX_POWER_BITS:
                raise ScriptLimitExceeded("getal te groot")
        return self.size(_OPERATORS[name](left, right))

    def call(self, func: Any, /, *args: Any, **kwargs: Any) -> Any:
        result = func(*args, **kwargs)
        return result if getattr(func, "__name__", "") in _NOT_BUILDING else self.size(result)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int_bits(kind: str, left: int, right: int) -> int:
    """About how many bits the result of left <kind> right has (computed without computing it)."""
    bits = max(abs(left), 2).bit_length()
    if kind == "Mult":
        return bits + abs(right).bit_length()
    if abs(right) > MAX_POWER_BITS:
        return abs(right)
    return bits * abs(right) if kind == "Pow" else bits + right


def check_output(value: Any, *, as_json: bool = False) -> None:
    """Data a script leaves behind is stored as JSON: refuse what would blow up when written out
    (a list that contains itself twice, forty levels deep, is small in memory and 2**40 in JSON)
    and, with `as_json`, anything standard JSON cannot hold (raises ScriptDataRefused)."""
    seen = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        seen += 1
        if seen > MAX_SEQUENCE or depth > MAX_DEPTH:
            raise ScriptLimitExceeded("gegevens te groot of te diep genest")
        problem = _json_problem(item) if as_json else None
        if problem is None and as_json and isinstance(item, dict):
            problem = next((f"de sleutel {k!r} (alleen tekst)" for k in item if not isinstance(k, str)), None)
        if problem is not None:
            raise ScriptDataRefused(f"script laat {problem} achter in de zaakgegevens")
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for pair in item.items() for v in pair)
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend((v, depth + 1) for v in item)
