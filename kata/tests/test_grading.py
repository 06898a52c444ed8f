"""The grader's own tests: the exercise list, the report, results.json, the
tamper check and watch mode.

The report is tested the way a student meets it: a copy of the kata in a
temporary folder, its exercises/ in a given state (pristine, half done,
finished, a stub that loops forever, a tampered test file, a module that
does not import), graded by ``python -m pytest tests`` in a subprocess, in
English and in Korean. The runs are independent, so they run a few at a
time to keep this file fast.
"""
import ast
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from kata import catalog, grading, report, tamper, watch

REPO = catalog.REPO
TITLES = {lang: texts["title"] for lang, texts in report.TEXTS.items()}
TIMEOUT = 3            # kata_timeout of the graded runs here (seconds)
PARALLEL_RUNS = 4

# What a slides-reading student writes for evaluate: the return sits inside
# the loop (a bug of the slides), so only the first sample counts.
EVALUATE_WITH_THE_SLIDES_BUG = """\
    correct_predictions = 0
    for x in data:
        if predict(x[0], W, b) > threshold and np.argmax(x[1]) == digit:
            correct_predictions += 1
        if predict(x[0], W, b) <= threshold and np.argmax(x[1]) != digit:
            correct_predictions += 1
        return correct_predictions / len(data)
"""
# A connect that links the layers, then calls a method no layer has.
CONNECT_THAT_CRASHES = """\
        self.previous = layer
        layer.next = self
        self.describe_link()
"""
LOOP_FOREVER = """\
        while True:
            pass
"""


# ---------------------------------------------------------------- building a kata in a folder

def copy_kata(destination):
    """The parts of the repository a grade needs, copied into ``destination``."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")
    for folder in ("exercises", "solutions", "tests", "kata"):
        shutil.copytree(REPO / folder, destination / folder, ignore=ignore)
    (destination / "data").mkdir()
    shutil.copy2(REPO / "data" / "mnist-sample.pkl.gz", destination / "data")
    shutil.copy2(REPO / "tox.ini", destination / "tox.ini")
    return destination


def use_solution(root, module):
    """Copy solutions/<module>.py over exercises/<module>.py: its exercises are done."""
    shutil.copy2(root / "solutions" / f"{module}.py", root / "exercises" / f"{module}.py")


def solve(root, exercise_id):
    """Splice the reference code of one exercise into its stub."""
    exercise = catalog.BY_ID[exercise_id]
    target = root / "exercises" / f"{exercise.module}.py"
    solution = (root / "solutions" / f"{exercise.module}.py").read_text(encoding="utf-8")
    new = catalog.splice(target.read_text(encoding="utf-8"), exercise.name,
                         catalog.graded_bodies(solution, exercise.name))
    target.write_text(new, encoding="utf-8")


def write_body(root, exercise_id, body):
    """Give every function of one exercise the body ``body`` (a student's attempt)."""
    exercise = catalog.BY_ID[exercise_id]
    target = root / "exercises" / f"{exercise.module}.py"
    source = target.read_text(encoding="utf-8")
    names = [f.name for f in catalog.graded_functions(source, exercise.name)]
    target.write_text(catalog.splice(source, exercise.name, dict.fromkeys(names, body)),
                      encoding="utf-8")


def pristine(root):
    pass


def half_done(root):
    """Exercises 1-4 done, evaluate with the slides' bug, connect crashing, the rest not started."""
    use_solution(root, "load_mnist")
    solve(root, "average_digit")
    solve(root, "predict")
    write_body(root, "evaluate", EVALUATE_WITH_THE_SLIDES_BUG)
    write_body(root, "Layer.connect", CONNECT_THAT_CRASHES)


def finished(root):
    for module in catalog.MODULES:
        use_solution(root, module)


def loops_forever(root):
    """Everything done, but DenseLayer.backward never returns."""
    finished(root)
    write_body(root, "DenseLayer.backward", LOOP_FOREVER)


def tampered(root):
    """Pristine exercises, and a test file edited to pass."""
    path = root / "tests" / "test_losses.py"
    path.write_text(path.read_text(encoding="utf-8") + "\n# made to pass\n", encoding="utf-8")


def does_not_import(root):
    """Everything done, but losses.py has a syntax error; network.py imports it."""
    finished(root)
    path = root / "exercises" / "losses.py"
    path.write_text(path.read_text(encoding="utf-8").replace("class MSE:", "class MSE"),
                    encoding="utf-8")


# ---------------------------------------------------------------- grading a folder

@dataclass
class Graded:
    returncode: int
    output: str
    report: list        # the report's lines, after its title
    results: dict       # results.json
    seconds: float = 0


def grade(root, lang, *options):
    """Run the grade in ``root`` as a student would (pytest, which tox runs)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KATA_", "PYTEST_", "LC_")) and k not in ("LANG", "PYTHONPATH")}
    env.update(KATA_PACKAGE="exercises", KATA_LANG=lang, PYTHONIOENCODING="utf-8",
               PYTHONDONTWRITEBYTECODE="1", KATA_RESULTS=str(root / "results.json"))
    command = [sys.executable, "-m", "pytest", "tests", "-p", "no:cacheprovider",
               "-o", f"kata_timeout={TIMEOUT}", *options]
    run = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True,
                         encoding="utf-8", timeout=120)
    output = run.stdout
    title = TITLES[lang]
    lines = output.splitlines()
    start = next((i for i, line in enumerate(lines) if title in line), None)
    reported = lines[start + 1:] if start is not None else []
    results_file = root / "results.json"
    results = json.loads(results_file.read_text(encoding="utf-8")) if results_file.exists() else {}
    return Graded(run.returncode, output + run.stderr, reported, results)


SCENARIOS = {
    # name: (how to make it, extra pytest options, languages)
    "pristine": (pristine, (), report.LANGUAGES),
    "half_done": (half_done, (), report.LANGUAGES),
    "finished": (finished, (), report.LANGUAGES),
    "loops_forever": (loops_forever, ("-o", "timeout_method=signal"), report.LANGUAGES),
    # The grader's own timer thread, which is what Windows (no SIGALRM) gets.
    "loops_forever_thread": (loops_forever, ("-o", "timeout_method=thread"), ("en",)),
    "tampered": (tampered, (), report.LANGUAGES),
    "does_not_import": (does_not_import, (), report.LANGUAGES),
}
RUNS = [(name, lang) for name, (_, _, languages) in SCENARIOS.items() for lang in languages]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Every scenario graded in every language: {(scenario, lang): Graded}."""
    folders = {key: tmp_path_factory.mktemp("-".join(key)) for key in RUNS}

    def run(key):
        name, lang = key
        make, options, _ = SCENARIOS[name]
        root = copy_kata(folders[key])
        make(root)
        return key, grade(root, lang, *options)

    with ThreadPoolExecutor(PARALLEL_RUNS) as pool:
        return dict(pool.map(run, RUNS))


def row(graded_run, number):
    """The report's row of exercise ``number``."""
    pattern = re.compile(rf"^ {number:>2}  ")
    return next(line for line in graded_run.report if pattern.match(line))


def expect_rows(graded_run, statuses, lang):
    """Each exercise's row shows the expected points and status."""
    for number, status in statuses.items():
        exercise = catalog.BY_NUMBER[number]
        line = row(graded_run, number)
        earned = exercise.points if status == report.PASSED else 0
        assert f"{earned}/{exercise.points}" in line, line
        assert report.TEXTS[lang][status].split("{")[0] in line, line


def all_statuses(status, **others):
    return {e.number: others.get(str(e.number), status) for e in catalog.EXERCISES}


# ---------------------------------------------------------------- the report, scenario by scenario

@pytest.mark.parametrize("lang", report.LANGUAGES)
def test_pristine_exercises_are_not_started(graded, lang):
    g = graded["pristine", lang]
    t = report.TEXTS[lang]
    assert g.returncode == 1, g.output
    expect_rows(g, all_statuses(report.NOT_STARTED), lang)
    assert "0/100 (0%) [....................]" in "\n".join(g.report)
    assert g.report[-1] == f"{t['next']}: exercises/load_mnist.py — encode_label"
    first = catalog.EXERCISES[0]
    text = " ".join(" ".join(g.report).split())
    assert first.hint[lang] in text
    assert t["tampered"] not in text


@pytest.mark.parametrize("lang", report.LANGUAGES)
def test_half_done_shows_the_first_failing_check_and_its_hint(graded, lang):
    g = graded["half_done", lang]
    t = report.TEXTS[lang]
    assert g.returncode == 1
    expect_rows(g, all_statuses(report.NOT_STARTED, **{"1": report.PASSED, "2": report.PASSED,
                                                      "3": report.PASSED, "4": report.PASSED,
                                                      "5": report.FAILING, "7": report.ERROR}), lang)
    text = "\n".join(g.report)
    # The check of tests/checks.py, called / returned / expected / hint, as pytest-check recorded it.
    assert "called:   evaluate(data, digit=4, threshold=0.5, W, b) on 4 samples, 2 right" in text
    assert "returned: 0.25" in text     # the slides' bug: only the first sample counted
    assert "expected: 0.5" in text
    assert " ".join(catalog.BY_NUMBER[5].hint[lang].split()) in " ".join(text.split())
    assert "35/100 (35%) [#######.............]" in text
    assert g.report[-1] == f"{t['next']}: exercises/average_digits.py — evaluate"
    # Exercise 7's error is not in the report (one thing at a time) but in results.json.
    connect = g.results["tests"][6]["output"]
    assert "AttributeError" in connect and "describe_link" in connect and "exercises/layers.py:" in connect


@pytest.mark.parametrize("lang", report.LANGUAGES)
def test_finished_exercises_pass_and_exit_0(graded, lang):
    g = graded["finished", lang]
    assert g.returncode == 0, g.output
    expect_rows(g, all_statuses(report.PASSED), lang)
    text = " ".join(" ".join(g.report).split())
    assert "100/100 (100%) [####################]" in text
    assert report.TEXTS[lang]["all_passed"].format(count=9, earned=100, possible=100) in text
    assert report.TEXTS[lang]["next"] + ":" not in text


@pytest.mark.parametrize("name, lang", [key for key in RUNS if key[0].startswith("loops_forever")])
def test_a_stub_that_loops_forever_times_out_and_the_rest_is_graded(graded, name, lang):
    g = graded[name, lang]
    assert g.returncode == 1, g.output
    expect_rows(g, all_statuses(report.PASSED, **{"8": report.TIMED_OUT}), lang)
    text = "\n".join(g.report)
    assert "exercises/layers.py:" in text      # where the loop was stopped
    assert "80/100 (80%)" in text
    assert g.report[-1].endswith("exercises/layers.py — DenseLayer.backward")
    # Only the first test of the exercise waits for the limit; the others are skipped.
    assert re.search(r"\b1 failed, \d+ passed, \d+ skipped\b", g.output), g.output[-400:]


@pytest.mark.parametrize("lang", report.LANGUAGES)
def test_a_tampered_test_file_is_named_in_the_report_and_in_results(graded, lang):
    g = graded["tampered", lang]
    t = report.TEXTS[lang]
    text = "\n".join(g.report)
    assert t["tampered"] in " ".join(text.split())
    assert f"tests/test_losses.py ({t['changed']})" in text
    assert g.results["extra_data"]["tampered_files"] == [{"path": "tests/test_losses.py", "how": "changed"}]
    assert "tests/test_losses.py" in g.results["output"]
    # The warning sits above the total, so the last lines stay total and next.
    assert g.report[-2].startswith(t["total"])


@pytest.mark.parametrize("lang", report.LANGUAGES)
def test_a_module_that_does_not_import_blocks_its_importers_only(graded, lang):
    g = graded["does_not_import", lang]
    assert g.returncode == 1, g.output
    expect_rows(g, all_statuses(report.PASSED, **{"6": report.ERROR, "9": report.BLOCKED}), lang)
    blocked = row(g, 9)
    assert "0/20" in blocked
    assert report.TEXTS[lang][report.BLOCKED].format(number=6, file="losses.py") in blocked
    text = "\n".join(g.report)
    assert "SyntaxError" in text and "exercises/losses.py" in text
    assert "70/100" in text    # all but MSE (10) and train (20)
    assert g.report[-1].endswith("exercises/losses.py — MSE")


@pytest.mark.parametrize("key", RUNS, ids=[f"{n}-{lang}" for n, lang in RUNS])
def test_results_json_has_gradescopes_schema(graded, key):
    g = graded[key]
    results = g.results
    assert isinstance(results["score"], (int, float)) and results["max_score"] == 100
    assert isinstance(results["output"], str)
    assert [t["number"] for t in results["tests"]] == [str(e.number) for e in catalog.EXERCISES]
    for test, exercise in zip(results["tests"], catalog.EXERCISES):
        assert set(test) >= {"name", "number", "score", "max_score", "status", "output"}
        assert test["max_score"] == exercise.points
        assert test["status"] in ("passed", "failed")
        assert test["score"] == (exercise.points if test["status"] == "passed" else 0)
        assert isinstance(test["name"], str) and isinstance(test["output"], str)
    assert results["score"] == sum(t["score"] for t in results["tests"])
    # The same total as the report.
    assert f"{results['score']}/100" in "\n".join(g.report)


def test_the_report_is_the_last_thing_printed(graded):
    g = graded["half_done", "en"]
    assert g.output.rstrip().splitlines()[-1] == g.report[-1]


def test_no_report_without_graded_tests(tmp_path):
    """pytest on the kata's own tests (no exercise marks) shows no grade and writes no results."""
    root = copy_kata(tmp_path)
    (root / "kata" / "tests" / "test_nothing.py").write_text("def test_nothing():\n    pass\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KATA_", "PYTEST_"))}
    env.update(KATA_RESULTS=str(root / "results.json"), PYTHONDONTWRITEBYTECODE="1")
    run = subprocess.run([sys.executable, "-m", "pytest", "kata/tests/test_nothing.py",
                          "-p", "no:cacheprovider"], cwd=root, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert TITLES["en"] not in run.stdout and TITLES["ko"] not in run.stdout
    assert not (root / "results.json").exists()


def test_one_exercise_can_be_graded_alone(tmp_path):
    """--kata-exercise grades one exercise, and a broken module elsewhere does not count."""
    root = copy_kata(tmp_path)
    use_solution(root, "load_mnist")
    (root / "exercises" / "network.py").write_text("this is not python\n")
    g = grade(root, "en", "--kata-exercise", "1")
    assert g.returncode == 0, g.output
    assert [t["number"] for t in g.results["tests"]] == ["1"]
    assert g.results["score"] == g.results["max_score"] == 5
    assert g.report[-1] == report.TEXTS["en"]["run_passed"]
    g = grade(root, "en", "--kata-exercise", "SequentialNetwork.train")
    assert g.returncode == 1
    assert g.results["tests"][0]["status"] == "failed"


# ---------------------------------------------------------------- the exercise list

def test_github_classroom_grades_each_exercise_for_its_points():
    tests = json.loads((REPO / ".github" / "classroom" / "autograding.json").read_text(encoding="utf-8"))["tests"]
    assert [(t["run"], t["points"]) for t in tests] == [
        (f"tox -e grade -- --kata-exercise {e.number}", e.points) for e in catalog.EXERCISES]
    workflow = (REPO / ".github" / "workflows" / "classroom.yml").read_text(encoding="utf-8")
    steps = re.findall(r"command: tox -e grade -- --kata-exercise (\d+)\n\s+timeout: \d+\n\s+max-score: (\d+)",
                       workflow)
    assert [(int(n), int(points)) for n, points in steps] == [(e.number, e.points) for e in catalog.EXERCISES]
    for e in catalog.EXERCISES:
        assert f"EXERCISE-{e.number}_RESULTS" in workflow


def test_the_list_has_nine_exercises_in_the_slides_order():
    assert [e.number for e in catalog.EXERCISES] == list(range(1, 10))
    assert [e.id for e in catalog.EXERCISES] == [
        "encode_label", "shape_data", "average_digit", "predict", "evaluate",
        "MSE", "Layer.connect", "DenseLayer.backward", "SequentialNetwork.train"]
    assert sum(e.points for e in catalog.EXERCISES) == 100


@pytest.mark.parametrize("exercise", catalog.EXERCISES, ids=lambda e: e.id)
def test_every_exercise_has_a_hint_in_both_languages(exercise):
    for lang in report.LANGUAGES:
        assert exercise.hint.get(lang, "").strip(), f"exercise {exercise.number} has no {lang} hint"


def stub_messages(function):
    """The messages of the NotImplementedError a function body raises."""
    for node in ast.walk(function):
        if (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                and getattr(node.exc.func, "id", None) == "NotImplementedError"):
            yield from (arg.value for arg in node.exc.args if isinstance(arg, ast.Constant))


@pytest.mark.parametrize("exercise", catalog.EXERCISES, ids=lambda e: e.id)
def test_the_list_matches_the_stubs(exercise):
    """exercises/<module>.py has the stub, raising NotImplementedError("exercise N: <name>")."""
    source = (REPO / exercise.path).read_text(encoding="utf-8")
    functions = catalog.graded_functions(source, exercise.name)
    assert functions, f"{exercise.path} has no {exercise.name}"
    for function in functions:
        first, last = catalog.body_lines(function, source)
        body = ast.Module(body=[s for s in function.body if s.lineno >= first], type_ignores=[])
        assert list(stub_messages(body)) == [f"exercise {exercise.number}: {exercise.name}"], \
            f"{exercise.path}: {function.name} is not the stub of exercise {exercise.number}"
    solution = (REPO / "solutions" / f"{exercise.module}.py").read_text(encoding="utf-8")
    assert [f.name for f in catalog.graded_functions(solution, exercise.name)] == \
        [f.name for f in functions]


def test_the_list_matches_the_tests():
    """Every graded test file is tests/test_<module>.py, and its marks name listed exercises."""
    marked = set()
    for path in sorted((REPO / "tests").glob("test_*.py")):
        marked |= set(re.findall(r"pytest\.mark\.exercise\(\"([^\"]+)\"\)", path.read_text(encoding="utf-8")))
    assert marked == set(catalog.BY_ID)
    for exercise in catalog.EXERCISES:
        assert (REPO / exercise.test_path).exists()


def test_every_sentence_of_the_report_exists_in_both_languages():
    english, korean = report.TEXTS["en"], report.TEXTS["ko"]
    assert set(english) == set(korean)
    assert set(report.STATUSES) <= set(english)
    for key in english:
        assert english[key].strip() and korean[key].strip(), key
        fields = set(re.findall(r"{(\w+)", english[key]))
        assert fields == set(re.findall(r"{(\w+)", korean[key])), key
    assert set(watch.TEXTS["en"]) == set(watch.TEXTS["ko"])


# ---------------------------------------------------------------- pieces of the report

@pytest.mark.parametrize("environ, expected", [
    ({"KATA_LANG": "ko"}, "ko"),
    ({"KATA_LANG": "en", "LANG": "ko_KR.UTF-8"}, "en"),
    ({"LANG": "ko_KR.UTF-8"}, "ko"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "ko_KR.UTF-8"}, "en"),
    ({"LC_MESSAGES": "ko_KR.UTF-8", "LANG": "C"}, "ko"),
    ({"KATA_LANG": "fr", "LANG": "C.UTF-8"}, "en"),
])
def test_the_language_follows_kata_lang_then_the_locale(environ, expected):
    assert report.language(environ) == expected


def test_a_terminal_that_cannot_show_the_symbols_gets_ascii():
    assert report.output_style("ko", "utf-8") == ("ko", report.SYMBOLS)
    assert report.output_style("ko", "ascii") == ("en", report.ASCII_SYMBOLS)
    results = [report.ExerciseResult(e, report.NOT_STARTED, report.Detail("not_started"))
               for e in catalog.EXERCISES]
    for line in report.render(results, "en", report.ASCII_SYMBOLS):
        line.encode("ascii")


def test_the_first_check_is_cut_from_pytest_checks_text():
    text = (
        "FAILURE: check bool(False): \n"
        "    called:   encode_label(0)\n"
        "    returned: array of shape (10, 2), dtype float64\n"
        "    expected: 1.0 in row 0\n"
        "    hint:     The label j is the index of the one.\n"
        "tests/test_load_mnist.py:30 in test_x() -> expect(...)\n"
        "FAILURE: check bool(False): \n"
        "    called:   encode_label(1)\n"
    )
    assert grading.first_check(text) == [
        "    called:   encode_label(0)",
        "    returned: array of shape (10, 2), dtype float64",
        "    expected: 1.0 in row 0",
        "    hint:     The label j is the index of the one."]
    assert grading.first_check("\x1b[31mFAILURE: check 1 == 2\x1b[0m\n") == ["check 1 == 2"]
    assert grading.first_check("AssertionError") == []


def outcomes(*kinds):
    return [grading.Outcome(kind, report.Detail(kind)) for kind in kinds]


@pytest.mark.parametrize("kinds, status", [
    (("passed", "passed"), report.PASSED),
    (("not_started", "not_started"), report.NOT_STARTED),
    (("passed", "not_started"), report.FAILING),       # half of MSE written
    (("not_started", "check"), report.FAILING),
    (("check", "exception"), report.ERROR),
    (("exception", "timeout", "skipped"), report.TIMED_OUT),
    (("skipped",), report.NOT_RUN),
    ((), report.NOT_RUN),
])
def test_an_exercises_status_follows_from_its_tests(kinds, status):
    assert grading.aggregate(catalog.BY_NUMBER[6], outcomes(*kinds)).status == status


def test_the_progress_bar_and_percentage():
    assert report.progress_bar(35, 100) == "[#######.............]"
    assert report.progress_bar(0, 100) == "[" + "." * 20 + "]"
    assert report.percent(35, 100) == 35


def test_korean_is_padded_by_its_width_on_screen():
    assert report.width("연습 문제") == 9
    assert report.pad("점수", 6) == "점수  "


def test_results_are_written_atomically(tmp_path):
    target = tmp_path / "out" / "results.json"
    report.write_json(target, {"score": 1})
    report.write_json(target, {"score": 2})
    assert json.loads(target.read_text(encoding="utf-8")) == {"score": 2}
    assert [p.name for p in target.parent.iterdir()] == ["results.json"]


# ---------------------------------------------------------------- tamper check

def test_the_recorded_hashes_are_the_repositorys():
    """Fails after a graded file changes: run python -m kata.grading --rehash (instructor step)."""
    assert tamper.differences() == []


def test_the_tamper_check_finds_changed_added_and_missing_files(tmp_path):
    root = copy_kata(tmp_path)
    record = root / "kata" / "hashes.json"
    tamper.write_record(root, record)
    assert tamper.differences(root, record) == []
    checks = root / "tests" / "checks.py"
    # A Windows checkout (CRLF line endings) is not tampering.
    checks.write_bytes(checks.read_bytes().replace(b"\n", b"\r\n"))
    assert tamper.differences(root, record) == []
    checks.write_text(checks.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    (root / "conftest.py").write_text("# loaded by pytest\n")
    (root / "data" / "mnist-sample.pkl.gz").unlink()
    assert tamper.differences(root, record) == [
        ("conftest.py", "added"), ("data/mnist-sample.pkl.gz", "missing"), ("tests/checks.py", "changed")]
    record.unlink()
    assert tamper.differences(root, record) == [("kata/hashes.json", "missing")]


def test_rehash_and_verify_from_the_command_line(tmp_path):
    root = copy_kata(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"

    def run(flag):
        return subprocess.run([sys.executable, "-m", "kata.grading", flag], cwd=root, env=env,
                              capture_output=True, text=True)

    assert run("--verify").returncode == 0
    (root / "tests" / "test_losses.py").write_text("# nothing left\n")
    verify = run("--verify")
    assert verify.returncode == 1 and "tests/test_losses.py (changed)" in verify.stdout
    assert run("--rehash").returncode == 0
    assert run("--verify").returncode == 0


# ---------------------------------------------------------------- watch mode

def test_watch_sees_a_saved_added_or_removed_exercise_file(tmp_path):
    (tmp_path / "layers.py").write_text("a = 1\n")
    (tmp_path / "losses.py").write_text("b = 2\n")
    (tmp_path / "notes.txt").write_text("not python\n")
    before = watch.snapshot(tmp_path)
    assert set(before) == {"layers.py", "losses.py"}
    assert watch.changed(before, watch.snapshot(tmp_path)) == []

    path = tmp_path / "layers.py"
    path.write_text("a = 10\n")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a later save
    (tmp_path / "network.py").write_text("c = 3\n")
    (tmp_path / "losses.py").unlink()
    assert watch.changed(before, watch.snapshot(tmp_path)) == ["layers.py", "losses.py", "network.py"]


def test_no_sentence_is_written_twice_in_one_language():
    """A key written twice in a dict literal silently loses its first sentence."""
    tree = ast.parse((REPO / "kata" / "report.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = [ast.unparse(k) for k in node.keys if k is not None]
            assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
