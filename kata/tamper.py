"""The tamper check: are the graded files the instructor's version?

``kata/hashes.json`` records a sha256 for each file that decides a grade:
the graded tests and their helpers, the sample data, the exercise list and
the grader itself. The report warns when a file differs, is missing, or
when a file that pytest would load (a new ``tests/*.py``, a ``conftest.py``)
has been added.

This is a tripwire, not a lock: whoever can edit the tests can edit this
file too. It tells an honest student that a stray edit changed their
grade, and it tells an instructor where to look.

Instructors refresh the record after changing a graded file:
``python -m kata.grading --rehash`` (or ``tox -e rehash``).
"""
import hashlib
import json
from pathlib import Path

from kata.catalog import REPO

RECORD = REPO / "kata" / "hashes.json"

# The files that decide a grade, as glob patterns relative to the repository.
# conftest.py files change what pytest does, so one appearing counts too.
TRACKED = (
    "tests/*.py",
    "conftest.py",
    "data/mnist-sample.pkl.gz",
    "kata/exercises.toml",
    "kata/catalog.py",
    "kata/grading.py",
    "kata/report.py",
    "kata/tamper.py",
)

# Text files are hashed with \n line endings, so that a Windows checkout
# (git's autocrlf turns \n into \r\n) does not look tampered with.
TEXT_SUFFIXES = (".py", ".toml")


def digest(path):
    """sha256 of a file, in hex; text files with their line endings normalized."""
    data = Path(path).read_bytes()
    if Path(path).suffix in TEXT_SUFFIXES:
        data = data.replace(b"\r\n", b"\n")
    return hashlib.sha256(data).hexdigest()


def tracked_files(root=REPO):
    """The tracked files that exist under ``root``, as sorted posix paths."""
    root = Path(root)
    found = set()
    for pattern in TRACKED:
        for path in root.glob(pattern):
            if path.is_file():
                found.add(path.relative_to(root).as_posix())
    return sorted(found)


def current_hashes(root=REPO):
    """{relative path: sha256} of the tracked files as they are now."""
    root = Path(root)
    return {name: digest(root / name) for name in tracked_files(root)}


def read_record(record=RECORD):
    """The recorded hashes, or None when the record is missing or unreadable."""
    try:
        with open(record, encoding="utf-8") as f:
            return json.load(f)["files"]
    except (OSError, ValueError, KeyError):
        return None


def differences(root=REPO, record=RECORD):
    """The tracked files that differ from the record, as (path, how) pairs.

    how is "changed", "missing" or "added". An empty list means the graded
    files are the instructor's.
    """
    root = Path(root)
    recorded = read_record(record)
    if recorded is None:
        return [("kata/hashes.json", "missing")]
    now = current_hashes(root)
    found = []
    for name in sorted(set(recorded) | set(now)):
        if name not in now:
            found.append((name, "missing"))
        elif name not in recorded:
            found.append((name, "added"))
        elif now[name] != recorded[name]:
            found.append((name, "changed"))
    return found


def write_record(root=REPO, record=RECORD):
    """Record the hashes of the tracked files as they are now (the instructor step)."""
    data = {
        "about": "sha256 of the graded files, checked by the grader's tamper check. "
                 "Refresh after changing one: python -m kata.grading --rehash",
        "files": current_hashes(root),
    }
    text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    Path(record).write_text(text, encoding="utf-8", newline="\n")
    return data["files"]
