"""The kata's own check, like rustlings' ``dev check``: ``tox -e check``.

1. twins     every exercises module is its solutions twin but for the graded
             bodies, and every graded body in exercises/ is a stub: a
             ``# TODO:`` line, then ``raise NotImplementedError`` naming it.
2. pristine  on a fresh copy, every graded exercise fails on the stubs.
3. solved    with every solutions module copied over its exercises twin,
             every graded exercise passes.
4. isolated  with all solved but one exercise's stub put back, that exercise
             fails and every other passes: no exercise fails for a neighbour.
5. others    other correct solutions (kata/alternatives.py) pass.
6. mutants   each classic mistake in kata/mutants.py makes its own exercise
             fail, and no other exercise of its module.

Each run grades a copy of the repository in a temporary folder and reads the
grader's results.json, so the check sees what a student would.
"""
import argparse
import ast
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kata.alternatives import ALTERNATIVES
from kata.catalog import (EXERCISES, MODULES, REPO, body_text, graded_bodies,
                          graded_functions, splice)
from kata.mutants import MUTANTS

COPIED = ["exercises", "solutions", "tests", "kata", "tox.ini", "data/mnist-sample.pkl.gz"]


# ---------------------------------------------------------------- source surgery

def read(package, module):
    return (REPO / package / f"{module}.py").read_text(encoding="utf-8")


def blank_graded(source, module):
    """The module's text with every graded body replaced by one marker line."""
    for exercise in EXERCISES:
        if exercise.module == module:
            funcs = graded_functions(source, exercise.name)
            source = splice(source, exercise.name, {f.name: "pass  # graded" for f in funcs})
    return source


def stub_problems(source, exercise):
    """What is wrong with the stubs of one exercise in an exercises module."""
    problems = []
    funcs = graded_functions(source, exercise.name)
    if not funcs:
        return [f"{exercise.path}: no {exercise.name} found"]
    for func in funcs:
        where = f"{exercise.path}: {exercise.name} ({func.name})"
        text = body_text(source, func)
        body = ast.parse(text).body
        raises = (len(body) == 1 and isinstance(body[0], ast.Raise)
                  and isinstance(body[0].exc, ast.Call)
                  and getattr(body[0].exc.func, "id", None) == "NotImplementedError")
        if not raises:
            problems.append(f"{where}: the stub must be only `raise NotImplementedError(...)`")
        elif f"exercise {exercise.number}" not in ast.unparse(body[0]):
            problems.append(f"{where}: the NotImplementedError must name 'exercise {exercise.number}'")
        if not text.lstrip().startswith("# TODO:"):
            problems.append(f"{where}: the stub must start with a '# TODO:' line")
    return problems


def check_twins():
    problems = []
    for module in MODULES:
        exercise_src, solution_src = read("exercises", module), read("solutions", module)
        if blank_graded(exercise_src, module) != blank_graded(solution_src, module):
            problems.append(f"exercises/{module}.py and solutions/{module}.py differ "
                            "outside the graded bodies")
        for exercise in EXERCISES:
            if exercise.module == module:
                problems += stub_problems(exercise_src, exercise)
    return problems


# ---------------------------------------------------------------- variants

def solved_with(exercise, bodies):
    """{module: source}: the solutions, but ``exercise`` gets ``bodies``."""
    source = read("solutions", exercise.module)
    return {exercise.module: splice(source, exercise.name, bodies)}


def stub_bodies(exercise):
    return graded_bodies(read("exercises", exercise.module), exercise.name)


def variants():
    """(label, {module: source}, modules to grade, the exercise ids that must fail)."""
    everything = [e.id for e in EXERCISES]
    out = [("pristine stubs", {m: read("exercises", m) for m in MODULES}, MODULES, everything),
           ("solutions copied in", {m: read("solutions", m) for m in MODULES}, MODULES, [])]
    for exercise in EXERCISES:
        sources = {m: read("solutions", m) for m in MODULES}
        sources.update(solved_with(exercise, stub_bodies(exercise)))
        out.append((f"only {exercise.id} left as a stub", sources, MODULES, [exercise.id]))
    for label, changes in ALTERNATIVES.items():
        sources = {m: read("solutions", m) for m in MODULES}
        for module, bodies in changes.items():
            for function, body in bodies.items():
                sources[module] = splice(sources[module], function, {function.split(".")[-1]: body})
        out.append((f"another correct solution: {label}", sources, MODULES, []))
    by_id = {e.id: e for e in EXERCISES}
    for exercise_id, function, mistake, body in MUTANTS:
        exercise = by_id[exercise_id]
        sources = solved_with(exercise, {function.split(".")[-1]: body})
        out.append((f"mutant {exercise_id}: {mistake}", sources, [exercise.module], [exercise_id]))
    return out


# ---------------------------------------------------------------- running

def make_workspace(root):
    for name in COPIED:
        source, target = REPO / name, root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "tests")
                            if name == "kata" else shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    return root


def grade(workspace, sources, modules):
    """Write ``sources`` into the workspace's exercises/, grade, return {id: passed}."""
    for module in MODULES:
        shutil.copy2(REPO / "exercises" / f"{module}.py", workspace / "exercises" / f"{module}.py")
    for module, source in sources.items():
        (workspace / "exercises" / f"{module}.py").write_text(source, encoding="utf-8")
    results = workspace / "results.json"
    results.unlink(missing_ok=True)
    env = dict(os.environ, KATA_PACKAGE="exercises", KATA_RESULTS=str(results),
               KATA_LANG="en", PYTHONDONTWRITEBYTECODE="1")
    files = [f"tests/test_{module}.py" for module in modules]
    run = subprocess.run([sys.executable, "-m", "pytest", *files, "-q", "-p", "no:cacheprovider"],
                         cwd=workspace, env=env, capture_output=True, text=True)
    if not results.exists():
        raise RuntimeError(f"the grade wrote no results.json:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    graded = json.loads(results.read_text(encoding="utf-8"))
    numbers = {str(e.number): e.id for e in EXERCISES}
    return {numbers[t["number"]]: t["status"] == "passed" for t in graded["tests"]
            if t.get("number") in numbers}


def verdict(label, modules, must_fail, passed):
    """The problems of one variant: what should have failed and passed."""
    problems = []
    for exercise in EXERCISES:
        if exercise.module not in modules:
            continue
        if exercise.id not in passed:
            problems.append(f"{label}: no result for {exercise.id}")
        elif exercise.id in must_fail and passed[exercise.id]:
            problems.append(f"{label}: {exercise.id} passed, but must fail")
        elif exercise.id not in must_fail and not passed[exercise.id]:
            problems.append(f"{label}: {exercise.id} failed, but must pass")
    return problems


def run_variants(chosen, jobs):
    problems = []
    with tempfile.TemporaryDirectory(prefix="kata-check-") as tmp:
        spaces = queue.Queue()
        for i in range(jobs):
            spaces.put(make_workspace(Path(tmp) / f"w{i}"))

        def one(variant):
            label, sources, modules, must_fail = variant
            workspace = spaces.get()
            try:
                return label, verdict(label, modules, must_fail, grade(workspace, sources, modules))
            finally:
                spaces.put(workspace)

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for label, found in pool.map(one, chosen):
                print(("ok    " if not found else "FAIL  ") + label, flush=True)
                problems += found
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="graders run at once (default 2)")
    parser.add_argument("--no-mutants", action="store_true", help="skip the mutants (faster)")
    args = parser.parse_args(argv)

    problems = check_twins()
    print(("ok    " if not problems else "FAIL  ") + "twins: exercises = solutions but for the stubs")
    chosen = [v for v in variants() if not (args.no_mutants and v[0].startswith("mutant"))]
    problems += run_variants(chosen, max(1, args.jobs))
    mutants = sum(1 for v in chosen if v[0].startswith("mutant"))
    print()
    if problems:
        print(f"kata check: {len(problems)} problem(s)")
        for problem in problems:
            print("  - " + problem)
        return 1
    print(f"kata check: all good ({len(chosen)} graded copies, {mutants} mutants caught)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
