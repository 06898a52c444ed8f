"""Watch mode: re-grade each time an exercise file is saved (``tox -e watch``).

It polls the modification times of exercises/*.py twice a second (no extra
dependency, and it works the same on every system), clears the screen and
runs the grade again whenever one changes. Ctrl-C stops it.

Arguments are passed on to pytest: ``tox -e watch -- --kata-exercise 3``
re-grades exercise 3 only.
"""
import os
import subprocess
import sys
import time
from pathlib import Path

from kata.catalog import REPO
from kata.report import language, output_style

POLL_SECONDS = 0.5
SETTLE_SECONDS = 0.2   # an editor may save a file in several writes

TEXTS = {
    "en": {"watching": "watching {folder}/*.py: save a file to grade again; Ctrl-C stops.",
           "changed": "changed: {files}",
           "bye": "stopped watching. Bye!"},
    "ko": {"watching": "{folder}/*.py 파일을 지켜보는 중: 저장하면 다시 채점합니다. 끝내려면 Ctrl-C.",
           "changed": "바뀐 파일: {files}",
           "bye": "지켜보기를 마쳤습니다. 안녕히 가세요!"},
}


def snapshot(folder):
    """{file name: (modification time in ns, size)} of the .py files in ``folder``."""
    found = {}
    for path in Path(folder).glob("*.py"):
        try:
            stat = path.stat()
        except FileNotFoundError:   # deleted between glob and stat
            continue
        found[path.name] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed(before, after):
    """The file names that were added, removed or modified between two snapshots, sorted."""
    return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))


def clear_screen():
    if not sys.stdout.isatty():
        return
    if os.name == "nt":
        os.system("cls")
    else:
        sys.stdout.write("\033[2J\033[H")
        sys.stdout.flush()


def grade(pytest_args):
    """Run the grade once, in a fresh process, as ``tox -e grade`` would."""
    command = [sys.executable, "-m", "pytest", "tests", *pytest_args]
    return subprocess.run(command, cwd=REPO).returncode


def wait_for_change(folder, before):
    """Block until a file in ``folder`` changes; return (names, new snapshot)."""
    while True:
        time.sleep(POLL_SECONDS)
        now = snapshot(folder)
        if changed(before, now):
            time.sleep(SETTLE_SECONDS)
            now = snapshot(folder)
            return changed(before, now), now


def main(argv=None):
    pytest_args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("KATA_PACKAGE", "exercises")
    folder = REPO / os.environ["KATA_PACKAGE"]
    lang, _ = output_style(language(), sys.stdout.encoding)
    texts = TEXTS[lang]
    state = snapshot(folder)
    names = []
    try:
        while True:
            clear_screen()
            if names:
                print(texts["changed"].format(files=", ".join(names)), flush=True)
            grade(pytest_args)
            print("\n" + texts["watching"].format(folder=folder.name), flush=True)
            names, state = wait_for_change(folder, state)
    except KeyboardInterrupt:
        print("\n" + texts["bye"], flush=True)
        return 0


if __name__ == "__main__":
    sys.exit(main())
