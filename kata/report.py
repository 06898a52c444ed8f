"""What the grader tells a student (the report) and an instructor (results.json).

Nothing here knows pytest: kata/grading.py turns test outcomes into one
``ExerciseResult`` per exercise, and this module renders them, in English or
in Korean. Every sentence the report can print is in ``TEXTS``, once per
language.
"""
import json
import locale
import os
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kata.catalog import EXERCISES

# ---------------------------------------------------------------- statuses

PASSED = "passed"
FAILING = "failing"          # a check (or an assert) of its tests failed
NOT_STARTED = "not started"  # every test stopped on the stub's NotImplementedError
BLOCKED = "blocked"          # another exercise's module cannot be imported
TIMED_OUT = "timed out"      # a test ran longer than the limit and was stopped
ERROR = "error"              # the code raised something else (TypeError, SyntaxError, ...)
NOT_RUN = "not run"          # no test of it ran this time (pytest -k, one test file, ...)

STATUSES = (PASSED, FAILING, NOT_STARTED, BLOCKED, TIMED_OUT, ERROR, NOT_RUN)


@dataclass
class Detail:
    """Why an exercise is not passed, in a form both languages can render.

    kind: "check" (lines = the first failing check), "exception" (error,
    where), "not_started", "timeout" (seconds, where), or "import" (file,
    error: a module cannot be imported).
    """
    kind: str
    test: str = ""           # the test it comes from, as a pytest node id
    lines: list = field(default_factory=list)
    error: str = ""          # "TypeError: ..." (one line)
    where: str = ""          # "exercises/layers.py:88"
    file: str = ""           # "exercises/losses.py"
    seconds: float = 0


@dataclass
class ExerciseResult:
    exercise: object         # a kata.catalog.Exercise
    status: str
    detail: Detail = None
    blocker: object = None   # the Exercise whose module blocks this one

    @property
    def earned(self):
        """All or nothing: the exercise's points when all its tests pass."""
        return self.exercise.points if self.status == PASSED else 0


# ---------------------------------------------------------------- the words

TEXTS = {
    "en": {
        "title": "kata: your grade",
        "col_exercise": "exercise",
        "col_points": "points",
        "col_status": "status",
        PASSED: "passed",
        FAILING: "failing",
        NOT_STARTED: "not started",
        BLOCKED: "blocked by exercise {number} ({file})",
        TIMED_OUT: "timed out",
        ERROR: "error",
        NOT_RUN: "not run",
        "legend": "Points are all or nothing: every test of an exercise must pass.",
        "heading": "exercise {number}, {name} ({file}): {status}",
        "why_check": "first failing check, in {test}:",
        "why_exception": "{error} at {where} (in {test}).",
        "why_exception_nowhere": "{error} (in {test}).",
        "why_not_started": "{name} still raises NotImplementedError: write your code in its place.",
        "why_timeout": "stopped after {seconds:g} s at {where} (in {test}): "
                       "look for a loop that never ends.",
        "why_timeout_nowhere": "stopped after {seconds:g} s (in {test}): "
                               "look for a loop that never ends.",
        "why_import": "{file} cannot be imported: {error}",
        "why_blocked": "{file} cannot be imported, so exercise {number} cannot be tested: {error}",
        "hint": "hint",
        "total": "total",
        "next": "next",
        "next_fix": "fix {file} first",
        "all_passed": "All {count} exercises pass: {earned}/{possible}. Well done! "
                      "Now watch your network learn MNIST: tox -e train",
        "run_passed": "Every exercise of this run passes. Grade them all with: tox -e grade",
        "tampered": "warning: these graded files are not the instructor's version, "
                    "so this grade may not count:",
        "changed": "changed",
        "missing": "missing",
        "added": "added",
        "restore": "Restore them (git checkout -- <file>; delete added files), or ask your instructor.",
        "summary": "{earned}/{possible} points ({percent}%).",
    },
    "ko": {
        "title": "카타 채점 결과",
        "col_exercise": "연습 문제",
        "col_points": "점수",
        "col_status": "상태",
        PASSED: "통과",
        FAILING: "실패",
        NOT_STARTED: "시작 전",
        BLOCKED: "{number}번 연습 문제({file}) 때문에 막힘",
        TIMED_OUT: "시간 초과",
        ERROR: "오류",
        NOT_RUN: "실행 안 함",
        "legend": "점수는 전부 아니면 0점: 연습 문제의 테스트가 모두 통과해야 합니다.",
        "heading": "{number}번 연습 문제 {name} ({file}): {status}",
        "why_check": "처음 실패한 검사 ({test}):",
        "why_exception": "{where}에서 예외 발생: {error} (테스트: {test})",
        "why_exception_nowhere": "예외 발생: {error} (테스트: {test})",
        "why_not_started": "{name}은(는) 아직 NotImplementedError를 일으킵니다. 그 자리에 코드를 작성하세요.",
        "why_timeout": "{seconds:g}초가 지나 {where}에서 멈췄습니다 (테스트: {test}). "
                       "끝나지 않는 반복문이 있는지 확인하세요.",
        "why_timeout_nowhere": "{seconds:g}초가 지나 멈췄습니다 (테스트: {test}). "
                               "끝나지 않는 반복문이 있는지 확인하세요.",
        "why_import": "{file}을(를) import할 수 없습니다: {error}",
        "why_blocked": "{file}을(를) import할 수 없어서 {number}번 연습 문제를 채점할 수 없습니다: {error}",
        "hint": "힌트",
        "total": "합계",
        "next": "다음",
        "next_fix": "먼저 {file}을(를) 고치세요",
        "all_passed": "{count}개 연습 문제를 모두 통과했습니다: {earned}/{possible}. 잘했습니다! "
                      "이제 직접 만든 신경망이 MNIST를 배우는 모습을 보세요: tox -e train",
        "run_passed": "이번에 실행한 연습 문제는 모두 통과했습니다. 전체 채점: tox -e grade",
        "tampered": "경고: 아래 채점 파일이 강사의 원본과 다릅니다. 이 점수는 인정되지 않을 수 있습니다:",
        "changed": "변경됨",
        "missing": "없음",
        "added": "추가됨",
        "restore": "원래대로 되돌리세요(git checkout -- <파일>, 추가한 파일은 삭제). 모르면 강사에게 물어보세요.",
        "summary": "{earned}/{possible}점 ({percent}%).",
    },
}

LANGUAGES = tuple(TEXTS)

# Symbols, with an ASCII stand-in for a terminal that cannot show them
# (a Windows console in a legacy code page, say).
SYMBOLS = {PASSED: "✔", FAILING: "✘", NOT_STARTED: "…", BLOCKED: "✘",
           TIMED_OUT: "✘", ERROR: "✘", NOT_RUN: "·", "dash": "—"}
ASCII_SYMBOLS = {PASSED: "+", FAILING: "x", NOT_STARTED: ".", BLOCKED: "x",
                 TIMED_OUT: "x", ERROR: "x", NOT_RUN: "-", "dash": "-"}

BAR_WIDTH = 20
WRAP = 76          # columns for wrapped sentences
LINE_LIMIT = 200   # characters of one check line before it is cut


# ---------------------------------------------------------------- language and output

def language(environ=None):
    """The report's language: KATA_LANG (ko / en), else the locale, else English."""
    environ = os.environ if environ is None else environ
    chosen = environ.get("KATA_LANG", "").strip().lower()
    if chosen[:2] in LANGUAGES:
        return chosen[:2]
    # The POSIX order: LC_ALL wins over LC_MESSAGES, which wins over LANG.
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    # Windows has no LANG: ask the system ("Korean_Korea" on a Korean Windows).
    try:
        system = locale.getlocale()[0] or ""
    except ValueError:
        system = ""
    return "ko" if system.lower().startswith("ko") else "en"


def can_encode(text, encoding):
    try:
        text.encode(encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def output_style(lang, encoding):
    """(language, symbols) that the output's encoding can show.

    Korean falls back to English, and the symbols to ASCII, rather than
    print question marks or crash.
    """
    if not can_encode("".join(TEXTS[lang].values()), encoding):
        lang = "en"
    symbols = SYMBOLS if can_encode("".join(SYMBOLS.values()), encoding) else ASCII_SYMBOLS
    return lang, symbols


# ---------------------------------------------------------------- layout helpers

def width(text):
    """Columns a string takes in a terminal: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text, columns):
    return text + " " * max(0, columns - width(text))


def wrap(text, indent, columns=WRAP, first=None):
    """Wrap a sentence to ``columns`` terminal columns.

    Lines start with ``indent``; the first with ``first`` if given (a
    hanging indent, as for "! warning: ...").
    """
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        start = indent if lines or first is None else first
        if line and width(start + candidate) > columns:
            lines.append(start + line)
            line = word
        else:
            line = candidate
    if line:
        lines.append((indent if lines or first is None else first) + line)
    return lines


def title_line(title, columns):
    """"==== title ====" across ``columns`` terminal columns, Hangul counted as wide."""
    fill = max(4, columns - width(title) - 2)
    left = fill // 2
    return f"{'=' * left} {title} {'=' * (fill - left)}"


def progress_bar(earned, possible):
    filled = round(BAR_WIDTH * earned / possible) if possible else 0
    return "[" + "#" * filled + "." * (BAR_WIDTH - filled) + "]"


def percent(earned, possible):
    return round(100 * earned / possible) if possible else 0


# ---------------------------------------------------------------- the report

def status_text(result, lang):
    """The status as a row shows it: "passed", "blocked by exercise 6 (losses.py)", ..."""
    text = TEXTS[lang][result.status]
    if result.status == BLOCKED and result.blocker is not None:
        text = text.format(number=result.blocker.number, file=f"{result.blocker.module}.py")
    return text


def first_not_passed(results):
    """The exercise a student should look at next: the first that ran and did not pass."""
    for result in results:
        if result.status not in (PASSED, NOT_RUN):
            return result
    return None


def table(results, lang, symbols):
    """The rows, as (text, style) pairs: a header, then one row per exercise."""
    t = TEXTS[lang]
    name_width = max(width(t["col_exercise"]), *(width(r.exercise.name) for r in results))
    points_header = " " * max(0, 6 - width(t["col_points"])) + t["col_points"]
    rows = [(f"  #  {pad(t['col_exercise'], name_width)}  {points_header}  {t['col_status']}", "")]
    for r in results:
        points = f"{r.earned}/{r.exercise.points}"
        rows.append((f" {r.exercise.number:>2}  {pad(r.exercise.name, name_width)}  {points:>6}  "
                     f"{symbols[r.status]} {status_text(r, lang)}", style_of(r.status)))
    return rows


def style_of(status):
    """How a row is coloured: "passed", "not started", "not run", or "bad"."""
    return status if status in (PASSED, NOT_STARTED, NOT_RUN) else "bad"


def explain(result, lang):
    """Lines that say why ``result`` is not passed, with its exercise's hint."""
    t, d, ex = TEXTS[lang], result.detail, result.exercise
    lines = [t["heading"].format(number=ex.number, name=ex.name, file=ex.path,
                                 status=status_text(result, lang))]
    if d is not None and d.kind == "check":
        lines.append("  " + t["why_check"].format(test=d.test))
        lines += ["  " + cut(line) for line in d.lines]
    elif d is not None:
        lines += wrap(sentence(result, lang), "  ")
    lines += wrap(f"{t['hint']}: {ex.hint[lang]}", "  ")
    return lines


def sentence(result, lang):
    """The one sentence that says why ``result`` is not passed (all kinds but "check")."""
    t, d, ex = TEXTS[lang], result.detail, result.exercise
    if d.kind == "exception":
        key = "why_exception" if d.where else "why_exception_nowhere"
        return t[key].format(test=d.test, error=d.error, where=d.where)
    if d.kind == "timeout":
        key = "why_timeout" if d.where else "why_timeout_nowhere"
        return t[key].format(test=d.test, seconds=d.seconds, where=d.where)
    if d.kind == "not_started":
        return t["why_not_started"].format(name=ex.name)
    if result.status == BLOCKED:
        return t["why_blocked"].format(file=d.file, number=ex.number, error=d.error)
    return t["why_import"].format(file=d.file, error=d.error)


def cut(line):
    return line if len(line) <= LINE_LIMIT else line[:LINE_LIMIT - 3] + "..."


def next_step(result, lang, symbols):
    """"next: exercises/<module>.py — <exercise>", or the file that blocks it."""
    t = TEXTS[lang]
    if result.status == BLOCKED and result.blocker is not None:
        target = result.blocker
        what = t["next_fix"].format(file=result.blocker.path)
        return f"{t['next']}: {target.path} {symbols['dash']} {target.name} ({what})"
    return f"{t['next']}: {result.exercise.path} {symbols['dash']} {result.exercise.name}"


def tamper_lines(tampered, lang):
    t = TEXTS[lang]
    if not tampered:
        return []
    lines = wrap(t["tampered"], "  ", first="! ")
    lines += [f"    {name} ({t[how]})" for name, how in tampered]
    lines += wrap(t["restore"], "  ")
    return lines


def render_styled(results, lang="en", symbols=SYMBOLS, tampered=()):
    """The whole report as (text, style) pairs; the caller draws the title line.

    results: one ExerciseResult per exercise, in the slides' order.
    tampered: (path, how) pairs from kata.tamper.differences().
    style: "" (plain), a row's style (see style_of), "warning" or "total".
    """
    t = TEXTS[lang]
    earned = sum(r.earned for r in results)
    possible = sum(r.exercise.points for r in results)
    out = table(results, lang, symbols)
    out += [(line, "") for line in wrap(t["legend"], "  ")]
    out.append(("", ""))
    focus = first_not_passed(results)
    if focus is not None:
        out += [(line, "") for line in explain(focus, lang)]
        out.append(("", ""))
    if tampered:
        out += [(line, "warning") for line in tamper_lines(tampered, lang)]
        out.append(("", ""))
    out.append((f"{t['total']} {earned}/{possible} ({percent(earned, possible)}%) "
                f"{progress_bar(earned, possible)}", "total"))
    if focus is not None:
        out.append((next_step(focus, lang, symbols), "total"))
    elif all(r.status == PASSED for r in results) and len(results) == len(EXERCISES):
        text = t["all_passed"].format(count=len(results), earned=earned, possible=possible)
        out += [(line, "passed") for line in wrap(text, "")]
    else:
        out.append((t["run_passed"], "passed"))
    return out


def render(results, lang="en", symbols=SYMBOLS, tampered=()):
    """The report's lines as plain text (see render_styled)."""
    return [text for text, _ in render_styled(results, lang, symbols, tampered)]


# ---------------------------------------------------------------- results.json (Gradescope)

def gradescope(results, lang="en", tampered=()):
    """The results in Gradescope's results.json schema, one test per exercise.

    Top level: score, max_score, output, tests; each test: name, number
    (a string), score, max_score, status ("passed" / "failed"), output.
    Tampered files also go to extra_data, for scripts that sift a class.
    """
    t = TEXTS[lang]
    earned = sum(r.earned for r in results)
    possible = sum(r.exercise.points for r in results)
    tests = []
    for r in results:
        if r.status == PASSED:
            output = status_text(r, lang)
        else:
            output = "\n".join(explain(r, lang))
        tests.append({
            "name": f"{r.exercise.number}. {r.exercise.name} ({r.exercise.path})",
            "number": str(r.exercise.number),
            "score": r.earned,
            "max_score": r.exercise.points,
            "status": "passed" if r.status == PASSED else "failed",
            "output": output,
        })
    summary = [t["summary"].format(earned=earned, possible=possible,
                                   percent=percent(earned, possible))]
    summary += tamper_lines(tampered, lang)
    return {
        "score": earned,
        "max_score": possible,
        "output": "\n".join(summary),
        "tests": tests,
        "extra_data": {"tampered_files": [{"path": name, "how": how} for name, how in tampered]},
    }


def write_json(path, data):
    """Write JSON atomically: a reader sees the old file or the new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=2)
            f.write("\n")
        os.chmod(temporary, 0o644)   # mkstemp makes it private; results are to be read
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
