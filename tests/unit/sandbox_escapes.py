"""The well-known ways out of a Python sandbox, as (mode, source) pairs: `{marker}` stands for a
file the escape would create. Used by the sandbox unit tests and the model validation tests."""

from __future__ import annotations

# (mode, source): escapes the static check refuses, so validation refuses every model carrying them.
STATIC_ESCAPES = {
    "dunder import": ("eval", "__import__('os').system('touch {marker}')"),
    "import statement": ("exec", "import os\nos.system('touch {marker}')"),
    "from import": ("exec", "from os import system"),
    "subclasses walk": ("eval", "().__class__.__bases__[0].__subclasses__()"),
    "getattr dunder": ("eval", "getattr(x, '__class__')"),
    "open a file": ("eval", "open('/etc/passwd').read()"),
    "format walks attributes": ("eval", '"{0.__class__}".format(1)'),
    "eval": ("eval", "eval('1')"),
    "globals": ("eval", "globals()"),
    "huge range loop": ("exec", "for i in range(10**9):\n    pass"),
    "nested loops": ("exec", "for i in range(10000):\n    for j in range(10000):\n        x = 1"),
    "nested comprehension": ("eval", "[1 for i in range(10000) for j in range(10000)]"),
    "huge string": ("eval", "'a' * 10**10"),
    "huge list": ("eval", "[0] * 10**9"),
    "huge power": ("eval", "10**10**10"),
    "huge shift": ("eval", "1 << 10**9"),
    "lambda": ("eval", "(lambda: 1)()"),
    "def": ("exec", "def f():\n    return 1"),
    "class": ("exec", "class A:\n    pass"),
    "while": ("exec", "while True:\n    pass"),
    "try": ("exec", "try:\n    x = 1\nexcept Exception:\n    pass"),
    "with": ("exec", "with x:\n    pass"),
    "f-string width": ("eval", "f'{x:>1000000000}'"),
    "percent format": ("eval", "'%s' % 1"),
    "string join": ("eval", "','.join(['a'] * 1000)"),
    "string replace": ("eval", "'a'.replace('a', 'b')"),
    "slice assignment": ("exec", "y = [1]\ny[:0] = y"),
    "walrus": ("eval", "(y := 1)"),
    "private name": ("eval", "_mda"),
    "dunder builtins": ("eval", "__builtins__"),
}

# Scripts that pass the static check (nothing constant is too big) and are stopped while running.
RUNTIME_ESCAPES = {
    "loop over data-sized range": ("exec", "for i in range(n):\n    pass"),
    "nested data loops": ("exec", "for i in range(m):\n    for j in range(m):\n        y = 1"),
    "doubling a list": ("exec", "y = [0]\nfor i in range(40):\n    y = y + y"),
    "doubling in place": ("exec", "y = [0]\nfor i in range(40):\n    y += y"),
    "doubling an element in place": ("exec", "d = {'a': [1]}\nfor i in range(40):\n    d['a'] += d['a']"),
    "multiplying an element in place": ("exec", "d = ['a']\nd[0] *= n * n * n"),
    "doubling with an f-string": ("exec", "s = 'a' * 1000\nfor i in range(40):\n    s = f'{s}{s}'"),
    "doubling by unpacking": ("exec", "y = [0]\nfor i in range(40):\n    y = [*y, *y]"),
    "big multiplication from data": ("eval", "'a' * n ** 5"),
    "squaring an integer": ("exec", "y = 2\nfor i in range(40):\n    y = y * y"),
    "many medium lists": ("exec", "y = [list(range(m)) for i in range(m)]"),
    "many medium strings": ("exec", "y = [('a' * 1000000) for i in range(m)]"),
    "many copies": ("exec", "y = [0] * 100000\nz = [y[:] for i in range(m)]"),
    "busy loop": ("exec", "y = [1] * 1000000\nfor i in range(m):\n    z = y.count(1)"),
    "percent format from data": ("eval", "'%999999999d' % x"),
    "data nested past JSON": ("exec", "y = []\nfor i in range(60):\n    y = [y, y]"),
}
