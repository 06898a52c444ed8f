"""The exercise list (kata/exercises.toml), read once, in the slides' order."""
import ast
import textwrap
import tomllib
from dataclasses import dataclass
from pathlib import Path

KATA = Path(__file__).resolve().parent
REPO = KATA.parent
LIST_FILE = KATA / "exercises.toml"


@dataclass(frozen=True)
class Exercise:
    number: int
    id: str           # the name in @pytest.mark.exercise("<id>")
    module: str       # exercises/<module>.py
    name: str         # function, Class.method, or a class whose methods are all graded
    points: int
    hint: dict        # {"en": ..., "ko": ...}

    @property
    def path(self):
        return f"exercises/{self.module}.py"

    @property
    def test_path(self):
        """The graded test file of this exercise's module (tests/test_<module>.py)."""
        return f"tests/test_{self.module}.py"


def load(path=LIST_FILE):
    with open(path, "rb") as f:
        entries = tomllib.load(f)["exercise"]
    exercises = [Exercise(**entry) for entry in entries]
    return sorted(exercises, key=lambda e: e.number)


EXERCISES = load()
BY_ID = {e.id: e for e in EXERCISES}
BY_NUMBER = {e.number: e for e in EXERCISES}
MODULES = tuple(dict.fromkeys(e.module for e in EXERCISES))  # in the slides' order


def of_module(module):
    """The exercises that live in exercises/<module>.py, in the slides' order."""
    return [e for e in EXERCISES if e.module == module]


def graded_functions(source, name):
    """The function nodes that exercise ``name`` covers in a module's source.

    "f" is a function, "C.m" a method; "C" (a class) covers all its methods.
    """
    tree = ast.parse(source)
    top = {node.name: node for node in tree.body
           if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    head, _, method = name.partition(".")
    node = top.get(head)
    if node is None:
        return []
    if isinstance(node, ast.FunctionDef):
        return [node]
    methods = [n for n in node.body if isinstance(n, ast.FunctionDef)]
    if method:
        return [m for m in methods if m.name == method]
    return [m for m in methods if not m.name.startswith("__")]


def body_lines(func, source):
    """(first, last) line numbers (1-based) of a function's body after its docstring.

    Comment lines just above the first statement (a stub's ``# TODO:``)
    belong to the body.
    """
    body = func.body
    if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)):
        body = body[1:]
    lines = source.splitlines()
    first = body[0].lineno
    while first - 1 > func.lineno and lines[first - 2].strip().startswith("#"):
        first -= 1
    return first, body[-1].end_lineno


def body_text(source, func):
    """The text of a function's body (after its docstring), dedented."""
    first, last = body_lines(func, source)
    lines = source.splitlines(keepends=True)[first - 1:last]
    return textwrap.dedent("".join(lines))


def splice(source, name, bodies):
    """Replace the bodies of the functions of exercise ``name`` found in ``bodies``.

    bodies: {function name: new body text}; other functions stay as they are.
    """
    lines = source.splitlines(keepends=True)
    funcs = [f for f in graded_functions(source, name) if f.name in bodies]
    for func in sorted(funcs, key=lambda f: f.lineno, reverse=True):
        first, last = body_lines(func, source)
        indent = " " * (func.col_offset + 4)
        new = textwrap.dedent(bodies[func.name]).strip("\n").splitlines()
        lines[first - 1:last] = [(indent + line if line.strip() else "") + "\n" for line in new]
    return "".join(lines)


def graded_bodies(source, name):
    """{function name: its body text, dedented} for the functions of exercise ``name``."""
    return {f.name: body_text(source, f) for f in graded_functions(source, name)}
