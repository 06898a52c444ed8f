"""The kata's grader: a pytest plugin that turns the graded tests into a grade.

tox.ini loads it for every run (``addopts = -p kata.grading``). When the
session holds graded tests (tests marked ``@pytest.mark.exercise("<id>")``),
it prints, after everything else, one line per exercise of
kata/exercises.toml, what to look at next, and the total; it can write
Gradescope's results.json; and it makes the exit status 0 only when every
graded exercise passes. A session without graded tests (``pytest
kata/tests``) sees nothing of it.

How an exercise's status is decided, from its tests (see kata/report.py for
the words):

- passed: every test of the exercise passed. Points are all or nothing.
- not started: every test failed on the NotImplementedError that the
  exercise's own stub raises.
- failing: a check failed (pytest-check's messages, or a plain assert), or
  some tests pass while others still reach the stub.
- error: the code raised another exception (TypeError, IndexError, ...),
  or the exercise's own module cannot be imported (SyntaxError, ...).
- blocked by exercise N: the test file cannot be imported because another
  exercise's module is broken (network.py imports losses.py, say).
- timed out: a test ran longer than ``kata_timeout`` seconds (pytest-timeout
  stopped it); the exercise's other tests are skipped, not waited for.
- not run: no test of it ran (``pytest -k``, one test file, ...).

Run as a program for the instructor's steps:
``python -m kata.grading --rehash`` records the hashes of the graded files,
``python -m kata.grading --verify`` checks them (exit status 1 if they differ).
"""
import _thread
import argparse
import os
import re
import signal
import sys
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

from kata import catalog, tamper
from kata import report as reporting
from kata.report import Detail, ExerciseResult

MARK = "exercise"
DEFAULT_TIMEOUT = "10"

# pytest-timeout's failure says "Timeout (>10.0s) from pytest-timeout."; ours too.
TIMEOUT_MESSAGE = "Timeout (>{seconds}s) from pytest-timeout."
TIMEOUT_PATTERN = re.compile(r"^Timeout \(>")
# Every stub raises NotImplementedError("exercise N: <name>").
STUB_PATTERN = re.compile(r"^exercise (\d+):")
ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Colours of the report's lines, by the style kata/report.py gives them.
STYLE = {reporting.PASSED: {"green": True}, reporting.NOT_STARTED: {"yellow": True},
         "bad": {"red": True}, "warning": {"yellow": True, "bold": True}, "total": {"bold": True}}


# ---------------------------------------------------------------- pytest options

def pytest_addoption(parser):
    group = parser.getgroup("kata", "the kata's grader")
    group.addoption("--kata-results", metavar="FILE", default=None,
                    help="write the grade as Gradescope's results.json to FILE "
                         "(the environment variable KATA_RESULTS does the same)")
    group.addoption("--kata-exercise", action="append", default=[], metavar="N",
                    help="grade only exercise N (its number or its id); "
                         "repeat it, or separate several with commas")
    parser.addini("kata_timeout", "seconds a graded test may run before it is stopped "
                  "(0: no limit; the environment variable KATA_TIMEOUT overrides it)",
                  default=DEFAULT_TIMEOUT)


def pytest_configure(config):
    config.pluginmanager.register(Grader(config), "kata-grader")


# ---------------------------------------------------------------- what one test says

@dataclass
class Outcome:
    """One graded test's result, boiled down to what the grade needs.

    kind: "passed", "skipped", "check" (a check or assert failed),
    "not_started", "exception", "timeout", or "blocked" (it reached another
    exercise's stub).
    """
    kind: str
    detail: Detail = None
    blocker: object = None


@dataclass
class ImportFailure:
    """A graded test file that could not be imported, and which module is to blame."""
    module: str          # the exercise module at fault, or "" when it is not one
    file: str            # that module's file, or the test file
    error: str           # one line: "SyntaxError: invalid syntax (line 12)"


def exercise_of(item):
    marker = item.get_closest_marker(MARK)
    return catalog.BY_ID.get(marker.args[0]) if marker and marker.args else None


def one_line(exc):
    """ "TypeError: unsupported operand ...", first line only."""
    text = f"{type(exc).__name__}: {exc}".strip().splitlines()
    return reporting.cut(text[0] if text else type(exc).__name__)


def first_check(longrepr_text):
    """The first failing check of pytest-check's failure text, as lines.

    pytest-check writes each failed check as "FAILURE: check bool(False): "
    followed by the indented message of tests/checks.py (called / returned /
    expected / hint). Returns those indented lines, without the FAILURE
    line when it says nothing more than "check bool(False)".
    """
    lines = ANSI.sub("", longrepr_text or "").splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("FAILURE: "):
            continue
        header = line[len("FAILURE: "):].strip()
        block = [] if re.fullmatch(r"check bool\(False\):?", header) else [header]
        for following in lines[i + 1:]:
            if not following.strip() or not following[0].isspace() or following.startswith("FAILURE"):
                break
            block.append(following.rstrip())
        return block
    return []


# ---------------------------------------------------------------- the plugin

class Grader:
    """Collects what each graded test did, then reports one result per exercise."""

    def __init__(self, config):
        self.config = config
        self.root = Path(config.rootpath)
        self.package = os.environ.get("KATA_PACKAGE", "exercises")
        self.package_dir = (self.root / self.package).resolve()
        self.selected = self.parse_selection(config.getoption("kata_exercise") or [])
        self.timeout = self.read_timeout()
        self.outcomes = {e.id: {} for e in catalog.EXERCISES}   # id -> {nodeid: Outcome}
        self.import_errors = {}       # module -> exception raised while collecting its tests
        self.import_failures = {}     # module -> ImportFailure
        self.graded = False           # did this session touch a graded test file?
        self.timed_out = set()        # ids of exercises stopped by the timeout

    # ------------------------------------------------ settings

    @staticmethod
    def parse_selection(values):
        """The exercise ids that --kata-exercise chose, or None for all of them."""
        chosen = set()
        for value in ",".join(values).split(","):
            value = value.strip()
            if not value:
                continue
            if value.isdigit() and int(value) in catalog.BY_NUMBER:
                chosen.add(catalog.BY_NUMBER[int(value)].id)
            elif value in catalog.BY_ID:
                chosen.add(value)
            else:
                raise pytest.UsageError(
                    f"--kata-exercise {value}: no such exercise; use a number 1-"
                    f"{len(catalog.EXERCISES)} or one of {', '.join(catalog.BY_ID)}")
        return chosen or None

    def read_timeout(self):
        text = os.environ.get("KATA_TIMEOUT") or self.config.getini("kata_timeout") or "0"
        try:
            return float(text)
        except ValueError:
            raise pytest.UsageError(f"kata_timeout / KATA_TIMEOUT: {text!r} is not a number of seconds")

    def test_file_module(self, path):
        """The exercise module whose graded test file ``path`` is, or None."""
        path = Path(path)
        if path.parent.resolve() != (self.root / "tests").resolve():
            return None
        name = path.stem
        module = name[len("test_"):] if name.startswith("test_") else None
        return module if module in catalog.MODULES else None

    # ------------------------------------------------ collection

    @pytest.hookimpl
    def pytest_ignore_collect(self, collection_path, config):
        """With --kata-exercise, do not even import the other exercises' test files.

        So a broken network.py does not cost exercise 1 its points when a
        GitHub Classroom step grades exercise 1 alone.
        """
        if self.selected is None:
            return None
        module = self.test_file_module(collection_path)
        if module is None:
            return None
        wanted = {catalog.BY_ID[i].module for i in self.selected}
        return True if module not in wanted else None

    @pytest.hookimpl
    def pytest_collectreport(self, report):
        module = self.test_file_module(report.fspath) if report.fspath else None
        if module is None:
            return
        self.graded = True
        if report.failed:
            self.import_failures[module] = self.explain_import_failure(
                module, self.import_errors.get(module), report.longreprtext)

    @pytest.hookimpl
    def pytest_exception_interact(self, node, call, report):
        """Keep the exception of a test file that failed to import: it names the culprit."""
        if isinstance(node, pytest.Collector) and call.excinfo is not None:
            module = self.test_file_module(node.path)
            if module is not None:
                self.import_errors[module] = call.excinfo.value

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, session, config, items):
        # pytest-timeout stops a test that runs too long; without it, no limit.
        timer = self.timeout > 0 and config.pluginmanager.hasplugin("timeout")
        kept, dropped = [], []
        for item in items:
            exercise = exercise_of(item)
            if exercise is None:
                kept.append(item)
                continue
            if self.selected is not None and exercise.id not in self.selected:
                dropped.append(item)
                continue
            self.graded = True
            if timer and item.get_closest_marker("timeout") is None:
                item.add_marker(pytest.mark.timeout(self.timeout))
            kept.append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = kept

    # ------------------------------------------------ running

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item):
        """Once a test of an exercise timed out, skip its other tests instead of waiting again."""
        exercise = exercise_of(item)
        if exercise is not None and exercise.id in self.timed_out:
            pytest.skip(f"exercise {exercise.number} ({exercise.name}) already timed out")

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        # The exception as the test raised it: pytest-check replaces it by
        # an AssertionError carrying its messages once the report is made.
        excinfo = call.excinfo
        test_report = yield
        exercise = exercise_of(item)
        if exercise is not None and (self.selected is None or exercise.id in self.selected):
            self.record(item, exercise, call.when, excinfo, test_report)
        return test_report

    def record(self, item, exercise, when, excinfo, test_report):
        tests = self.outcomes[exercise.id]
        earlier = tests.get(item.nodeid)
        if when == "setup":
            if test_report.skipped:
                tests[item.nodeid] = Outcome("skipped")
            elif test_report.failed:
                tests[item.nodeid] = self.classify(item, exercise, excinfo, test_report)
        elif when == "call" and earlier is None:
            tests[item.nodeid] = (Outcome("passed") if test_report.passed else
                                  Outcome("skipped") if test_report.skipped else
                                  self.classify(item, exercise, excinfo, test_report))
        elif when == "teardown" and test_report.failed and earlier is not None and earlier.kind == "passed":
            tests[item.nodeid] = self.classify(item, exercise, excinfo, test_report)
        outcome = tests.get(item.nodeid)
        if outcome is not None and outcome.kind == "timeout":
            self.timed_out.add(exercise.id)
        if outcome is not None and outcome.kind == "not_started" and when == "call":
            # A stub that was not replaced yet needs no traceback.
            test_report.longrepr = f"{outcome.detail.where}: NotImplementedError: " \
                                   f"exercise {exercise.number}, {exercise.name}: not started yet"

    def classify(self, item, exercise, excinfo, test_report):
        """What a failed test means for its exercise (see the module's docstring)."""
        test = item.nodeid
        exc = excinfo.value if excinfo is not None else None
        if exc is None:
            # No exception of its own: pytest-check's checks failed.
            return Outcome("check", Detail("check", test=test, lines=first_check(test_report.longreprtext)))
        where = self.where_in_package(excinfo.tb)
        if isinstance(exc, pytest.fail.Exception) and TIMEOUT_PATTERN.match(str(exc)):
            return Outcome("timeout", Detail("timeout", test=test, where=where, seconds=self.timeout))
        if isinstance(exc, NotImplementedError):
            stub = STUB_PATTERN.match(str(exc))
            number = int(stub.group(1)) if stub else None
            if number == exercise.number and self.raised_in(excinfo.tb, exercise.module):
                return Outcome("not_started", Detail("not_started", test=test, where=where))
            if number in catalog.BY_NUMBER and number != exercise.number:
                other = catalog.BY_NUMBER[number]
                return Outcome("blocked", Detail("exception", test=test, error=one_line(exc), where=where),
                               blocker=other)
        if isinstance(exc, (AssertionError, pytest.fail.Exception)):
            lines = first_check(test_report.longreprtext) or [one_line(exc)]
            return Outcome("check", Detail("check", test=test, lines=lines))
        return Outcome("exception", Detail("exception", test=test, error=one_line(exc), where=where))

    # ------------------------------------------------ where did it happen?

    def package_frames(self, tb):
        """(path, line) of each traceback frame in the graded package, outermost first."""
        frames = []
        for frame in traceback.extract_tb(tb):
            path = Path(frame.filename).resolve()
            if path.parent == self.package_dir:
                frames.append((path, frame.lineno))
        return frames

    def where_in_package(self, tb):
        """ "exercises/layers.py:88": the innermost line of the student's code in a traceback."""
        frames = self.package_frames(tb)
        if not frames:
            return ""
        path, line = frames[-1]
        return f"{self.package}/{path.name}:{line}"

    def raised_in(self, tb, module):
        """Was the exception raised in the package's ``module`` file itself?"""
        last = traceback.extract_tb(tb)[-1:] if tb is not None else []
        return bool(last) and Path(last[0].filename).resolve() == self.package_dir / f"{module}.py"

    def explain_import_failure(self, module, exc, text):
        """Which module broke the import of tests/test_<module>.py, and how."""
        # pytest wraps import errors in a CollectError; the real one is its cause.
        if exc is not None and exc.__cause__ is not None:
            exc = exc.__cause__
        culprit, line = None, None
        if isinstance(exc, SyntaxError):
            path = Path(exc.filename).resolve() if exc.filename else None
            if path is not None and path.parent == self.package_dir:
                culprit = path.stem
            error, line = f"SyntaxError: {exc.msg}", exc.lineno
        elif exc is not None:
            frames = self.package_frames(exc.__traceback__)
            if frames:
                culprit, line = frames[-1][0].stem, frames[-1][1]
            error = one_line(exc)
        else:
            # No exception kept: read the culprit from the failure text.
            found = re.findall(rf"{re.escape(self.package)}[/\\](\w+)\.py", text or "")
            culprit = found[-1] if found else None
            last = (text or "").strip().splitlines()[-1:] or ["ImportError"]
            error = reporting.cut(last[0])
        if line:
            error += f" (line {line})"
        if culprit not in catalog.MODULES:
            return ImportFailure("", f"tests/test_{module}.py", error)
        return ImportFailure(culprit, f"{self.package}/{culprit}.py", error)

    # ------------------------------------------------ timeouts without SIGALRM

    @pytest.hookimpl(optionalhook=True, tryfirst=True)
    def pytest_timeout_set_timer(self, item, settings):
        """Stop a graded test that runs too long where there is no SIGALRM (Windows).

        pytest-timeout's "thread" method ends the whole process, which would
        lose the grade of every other exercise. Instead, a timer thread
        interrupts the main thread, which fails the test the way the
        "signal" method does, and the session goes on.
        """
        if settings.method != "thread" or exercise_of(item) is None:
            return None
        if threading.current_thread() is not threading.main_thread():
            return None
        fired = threading.Event()

        def on_interrupt(signum, frame):
            if fired.is_set():
                pytest.fail(TIMEOUT_MESSAGE.format(seconds=settings.timeout), pytrace=False)
            raise KeyboardInterrupt  # a real Ctrl-C

        def ring():
            fired.set()
            _thread.interrupt_main(signal.SIGINT)

        previous = signal.signal(signal.SIGINT, on_interrupt)
        timer = threading.Timer(settings.timeout, ring)
        timer.daemon = True
        timer.start()

        def cancel():
            timer.cancel()
            timer.join()
            signal.signal(signal.SIGINT, previous)

        item.cancel_timeout = cancel   # pytest-timeout calls it when the test ends
        return True

    # ------------------------------------------------ the end: grade, report, exit status

    def results(self):
        """One ExerciseResult per exercise (the selected ones), in the slides' order."""
        chosen = [e for e in catalog.EXERCISES if self.selected is None or e.id in self.selected]
        return [self.result_of(e) for e in chosen]

    def result_of(self, exercise):
        failure = self.import_failures.get(exercise.module)
        if failure is not None:
            detail = Detail("import", file=failure.file, error=failure.error)
            if failure.module and failure.module != exercise.module:
                blocker = catalog.of_module(failure.module)[0]
                return ExerciseResult(exercise, reporting.BLOCKED, detail, blocker)
            return ExerciseResult(exercise, reporting.ERROR, detail)
        return aggregate(exercise, list(self.outcomes[exercise.id].values()))

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_sessionfinish(self, session, exitstatus):
        # Outermost wrapper: this runs after pytest's own summary, so the
        # report is the last thing on the screen.
        result = yield
        if not self.graded or session.exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED,
                                                          pytest.ExitCode.NO_TESTS_COLLECTED):
            return result
        results = self.results()
        if all(r.status == reporting.NOT_RUN for r in results):
            return result   # nothing was graded (pytest --collect-only, say)
        if any(r.status not in (reporting.PASSED, reporting.NOT_RUN) for r in results):
            # pytest alone would say 0 for an exercise without tests, say.
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        tampered = tamper.differences()
        lang = reporting.language()
        destination = self.config.getoption("kata_results") or os.environ.get("KATA_RESULTS")
        if destination:
            reporting.write_json(Path(os.path.expanduser(destination)),
                              reporting.gradescope(results, lang, tampered))
        self.print_report(results, lang, tampered)
        return result

    def print_report(self, results, lang, tampered):
        terminal = self.config.pluginmanager.get_plugin("terminalreporter")
        if terminal is None:
            return
        encoding = getattr(terminal._tw._file, "encoding", None) or "utf-8"
        lang, symbols = reporting.output_style(lang, encoding)
        terminal.write_line("")
        # Drawn here rather than with write_sep, which counts a Hangul letter as one column.
        terminal.write_line(reporting.title_line(reporting.TEXTS[lang]["title"], terminal._tw.fullwidth),
                            bold=True)
        for text, style in reporting.render_styled(results, lang, symbols, tampered):
            terminal.write_line(text, **STYLE.get(style, {}))


def aggregate(exercise, outcomes):
    """An exercise's result from its tests' outcomes, in the order they ran."""
    def first(kind):
        return next(o for o in outcomes if o.kind == kind)

    kinds = {o.kind for o in outcomes}
    if "timeout" in kinds:
        return ExerciseResult(exercise, reporting.TIMED_OUT, first("timeout").detail)
    if "exception" in kinds:
        return ExerciseResult(exercise, reporting.ERROR, first("exception").detail)
    if "blocked" in kinds:
        o = first("blocked")
        return ExerciseResult(exercise, reporting.BLOCKED, o.detail, o.blocker)
    failed = [o for o in outcomes if o.kind not in ("passed", "skipped")]
    if not failed:
        passed = "passed" in kinds
        return ExerciseResult(exercise, reporting.PASSED if passed else reporting.NOT_RUN)
    if all(o.kind == "not_started" for o in failed) and "passed" not in kinds:
        return ExerciseResult(exercise, reporting.NOT_STARTED, failed[0].detail)
    checks = [o for o in failed if o.kind == "check"]
    return ExerciseResult(exercise, reporting.FAILING, (checks or failed)[0].detail)


# ---------------------------------------------------------------- the instructor's command line

def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m kata.grading",
        description="The instructor's steps of the kata's tamper check (kata/hashes.json).")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--rehash", action="store_true",
                        help="record the hashes of the graded files as they are now")
    action.add_argument("--verify", action="store_true",
                        help="compare the graded files with the record; exit status 1 if they differ")
    args = parser.parse_args(argv)
    if args.rehash:
        files = tamper.write_record()
        print(f"recorded {len(files)} files in {tamper.RECORD.relative_to(catalog.REPO).as_posix()}:")
        for name in files:
            print(f"  {name}")
        return 0
    found = tamper.differences()
    if not found:
        print("the graded files are the instructor's version")
        return 0
    print("these graded files differ from the record (kata/hashes.json):")
    for name, how in found:
        print(f"  {name} ({how})")
    return 1


if __name__ == "__main__":
    sys.exit(main())
