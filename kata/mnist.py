"""MNIST for the kata: read the classic ``mnist.pkl.gz`` safely, and build it.

Everything the project does with data files lives in this one module.

Reading
    ``read_mnist_pickle(path)`` returns ``(train, validation, test)``, each a
    pair ``(X, y)``: ``X`` is float32 of shape (n, 784) with pixels in [0, 1],
    ``y`` is int64 of shape (n,) with labels 0..9. Loading a pickle can run
    code, so the reader admits only numpy arrays, their dtypes and tuples.

Building
    ``python -m kata.mnist`` (what ``tox -e data`` runs) downloads the four
    IDX files of MNIST, checks their sha256 and writes ``data/mnist.pkl.gz``
    in the classic layout: 50,000 / 10,000 / 10,000 digits.

MNIST is by Yann LeCun, Corinna Cortes and Christopher J.C. Burges, under
CC BY-SA 3.0.
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import hashlib
import http.client
import os
import pickle
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "data"
FULL_PATH = DATA_DIR / "mnist.pkl.gz"
SAMPLE_PATH = DATA_DIR / "mnist-sample.pkl.gz"
RAW_DIR = DATA_DIR / "raw"  # download cache (git-ignored)

PIXELS = 28 * 28
SPLIT_NAMES = ("train", "validation", "test")

# The commands a message tells the reader to run. tox hands everything after
# "--" to the command, hence the "--" before "--force".
BUILD_COMMAND = "tox -e data"
REBUILD_COMMAND = "tox -e data -- --force"


class MnistDataError(Exception):
    """A data file is missing, damaged, of the wrong shape or cannot be fetched.

    The message names the file, says what is wrong and what to run;
    ``problem`` holds just what is wrong, when that is known on its own.
    """

    def __init__(self, message: str, problem: str = ""):
        super().__init__(message)
        self.problem = problem


# ---------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------


def _show(path) -> str:
    """The path as a reader wants to see it: relative to the project if inside it."""
    path = Path(path)
    try:
        return path.resolve().relative_to(REPO).as_posix()
    except ValueError:
        return str(path)


def _fix_for(path) -> str:
    """What to run when the file at `path` is damaged."""
    path = Path(path).resolve()
    if path == SAMPLE_PATH:
        return ("Restore it with 'git checkout -- data/mnist-sample.pkl.gz' "
                "(data/README.md says how to rebuild it).")
    if path == FULL_PATH:
        return f"Run '{REBUILD_COMMAND}' to rebuild it."
    return (f"Pass a good file, or run '{BUILD_COMMAND}' and call load_data() "
            "without a path.")


def _bad_file(path, problem: str) -> MnistDataError:
    """The error for a file that exists but cannot be used."""
    return MnistDataError(f"{_show(path)}: {problem}. {_fix_for(path)}", problem)


# ---------------------------------------------------------------------------
# Reading: a pickle reader that admits numpy arrays and nothing else
# ---------------------------------------------------------------------------


def _numpy_array_rebuilders():
    """numpy's own functions that rebuild an array from a pickle.

    numpy 2 moved them from ``numpy.core`` to ``numpy._core``.
    """
    if int(np.__version__.split(".")[0]) >= 2:
        from numpy._core import multiarray, numeric
    else:
        from numpy.core import multiarray, numeric
    return multiarray._reconstruct, numeric._frombuffer


_reconstruct, _frombuffer = _numpy_array_rebuilders()

# Every global name a pickle of tuples of numpy arrays can contain, and the
# object it stands for. Files written under numpy 1 say "numpy.core", under
# numpy 2 "numpy._core"; both map to the functions of the numpy installed
# here. Tuples need no global: pickle has opcodes for them.
ALLOWED_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy.core.numeric", "_frombuffer"): _frombuffer,  # pickle protocol 5
    ("numpy._core.numeric", "_frombuffer"): _frombuffer,
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    # Python 3 writes bytes as _codecs.encode(text, "latin1") in protocol 2.
    ("_codecs", "encode"): codecs.encode,
}


class _ArraysOnlyUnpickler(pickle.Unpickler):
    """An unpickler that refuses every global outside ALLOWED_GLOBALS.

    A pickle names a global (a function or class) to call it while loading;
    refusing the name here means a hostile file never gets to run anything.
    """

    def __init__(self, file, path):
        # The classic file was written by Python 2: its byte strings need latin1.
        super().__init__(file, encoding="latin1")
        self.path = path

    def find_class(self, module, name):
        try:
            return ALLOWED_GLOBALS[(module, name)]
        except KeyError:
            raise _bad_file(
                self.path,
                f"refused to load it: the pickle asks for '{module}.{name}', and "
                "an MNIST file needs only numpy arrays and tuples (a pickle can "
                "run code, so this file may be hostile)",
            ) from None


_sample_notice_given = False


def _default_path() -> Path:
    """data/mnist.pkl.gz if it was built, else the bundled sample (said once)."""
    global _sample_notice_given
    if FULL_PATH.exists():
        return FULL_PATH
    if not SAMPLE_PATH.exists():
        raise MnistDataError(
            f"{_show(SAMPLE_PATH)}: no such file, and no {_show(FULL_PATH)} either. "
            f"Run '{BUILD_COMMAND}' to download full MNIST, or restore the sample "
            "with 'git checkout -- data/mnist-sample.pkl.gz'.")
    if not _sample_notice_given:
        print(f"Note: {_show(FULL_PATH)} not found; using the bundled sample of "
              f"5,000 MNIST digits ({_show(SAMPLE_PATH)}). "
              f"Run '{BUILD_COMMAND}' to get full MNIST.", file=sys.stderr)
        _sample_notice_given = True
    return SAMPLE_PATH


def read_mnist_pickle(path=None):
    """Read a classic MNIST pickle: ``(train, validation, test)``, each ``(X, y)``.

    ``X`` is float32 of shape (n, 784) in [0, 1]; ``y`` is int64 of shape (n,).
    With no path: data/mnist.pkl.gz if it exists, else the bundled sample.
    Raises MnistDataError when the file is missing, damaged or of the wrong shape.
    """
    path = _default_path() if path is None else Path(path)
    data = _unpickle(path)
    return _check_layout(data, path)


def _unpickle(path: Path):
    """Load the gzip'd pickle at `path` with the restricted unpickler."""
    if not path.exists():
        fix = (f"Run '{BUILD_COMMAND}' to download MNIST and build it."
               if path.resolve() == FULL_PATH else _fix_for(path))
        raise MnistDataError(f"{_show(path)}: no such file. {fix}")
    if not path.is_file():
        raise _bad_file(path, "is not a file")
    if path.stat().st_size == 0:
        raise _bad_file(path, "the file is empty (a build or download was cut off)")
    try:
        with gzip.open(path, "rb") as stream:
            data = _ArraysOnlyUnpickler(stream, path).load()
            # Read on to the end so that gzip checks its CRC and length.
            if stream.read(1):
                raise _bad_file(path, "unexpected data after the pickle")
    except MnistDataError:
        raise
    except (EOFError, gzip.BadGzipFile, zlib.error):
        raise _bad_file(path, _gzip_problem(path) or "corrupt gzip data") from None
    except Exception as err:  # a damaged pickle can fail in many ways
        # Often the gzip data were damaged: say so rather than blame the pickle.
        problem = _gzip_problem(path) or (
            f"not a readable pickle ({type(err).__name__}: {err})")
        raise _bad_file(path, problem) from None
    return data


def _gzip_problem(path: Path):
    """What is wrong with the gzip stream of `path`, or None if it is sound."""
    with open(path, "rb") as stream:
        if stream.read(2) != b"\x1f\x8b":  # every gzip file starts so
            return "not a gzip file"
    try:
        with gzip.open(path, "rb") as stream:
            while stream.read(1 << 20):
                pass
    except EOFError:
        return "truncated gzip stream (the download or build was cut off)"
    except (gzip.BadGzipFile, zlib.error) as err:
        return f"corrupt gzip data ({err})"
    return None


def _describe(obj) -> str:
    """A short description of an unexpected object, for error messages."""
    if isinstance(obj, np.ndarray):
        return f"an array of shape {obj.shape} and dtype {obj.dtype}"
    if isinstance(obj, (tuple, list)):
        items = "item" if len(obj) == 1 else "items"
        return f"a {type(obj).__name__} of {len(obj)} {items}"
    return f"a {type(obj).__name__}"


def _check_layout(data, path):
    """Check the classic layout and return it with float32 / int64 arrays."""
    if not (isinstance(data, tuple) and len(data) == 3):
        raise _bad_file(path, "expected a tuple (train, validation, test), "
                              f"found {_describe(data)}")
    splits = []
    for name, split in zip(SPLIT_NAMES, data):
        if not (isinstance(split, tuple) and len(split) == 2):
            raise _bad_file(path, f"{name}: expected a pair (images, labels), "
                                  f"found {_describe(split)}")
        images = _checked_images(split[0], name, path)
        labels = _checked_labels(split[1], len(images), name, path)
        splits.append((images, labels))
    return tuple(splits)


def _checked_images(X, name, path) -> np.ndarray:
    """`X` as float32 of shape (n, 784) with values in [0, 1], or an error."""
    if not isinstance(X, np.ndarray):
        raise _bad_file(path, f"{name} images: expected a numpy array, found {_describe(X)}")
    if X.ndim != 2 or X.shape[1] != PIXELS or X.shape[0] == 0:
        raise _bad_file(path, f"{name} images have shape {X.shape}; expected "
                              f"(n, {PIXELS}): one row of 28 x 28 pixels per digit")
    if X.dtype.kind not in "fiu":
        raise _bad_file(path, f"{name} images have dtype {X.dtype}; expected numbers")
    X = X.astype(np.float32, copy=False)
    low, high = X.min(), X.max()
    if not (0 <= low and high <= 1):  # also false for NaN
        raise _bad_file(path, f"{name} pixel values lie in [{low:g}, {high:g}]; "
                              "expected [0, 1]")
    return X


def _checked_labels(y, count, name, path) -> np.ndarray:
    """`y` as int64 of shape (count,) with values 0..9, or an error."""
    if not isinstance(y, np.ndarray):
        raise _bad_file(path, f"{name} labels: expected a numpy array, found {_describe(y)}")
    if y.ndim != 1 or len(y) != count:
        raise _bad_file(path, f"{name} labels have shape {y.shape}; expected "
                              f"({count},), one per image")
    if y.dtype.kind not in "fiu" or (y.dtype.kind == "f" and not np.all(y == np.round(y))):
        raise _bad_file(path, f"{name} labels have dtype {y.dtype}; expected whole numbers")
    y = y.astype(np.int64, copy=False)
    if y.min() < 0 or y.max() > 9:
        raise _bad_file(path, f"{name} labels lie in [{y.min()}, {y.max()}]; expected 0..9")
    return y


# ---------------------------------------------------------------------------
# Writing a classic pickle (used by the build below and by data/make_sample.py)
# ---------------------------------------------------------------------------

PICKLE_PROTOCOL = 4  # fixed, so that the same data gives the same bytes
# gzip's default level. On full MNIST (2 cores) it writes 18.4 MB in 2.3 s;
# level 1 gives 21.8 MB in 1.2 s, level 9 18.3 MB in 12.9 s.
GZIP_LEVEL = 6


def scale_pixels(pixels) -> np.ndarray:
    """uint8 pixels 0..255 -> float32 in [0, 1], dividing by 255."""
    return np.asarray(pixels, dtype=np.float32) / np.float32(255)


def write_mnist_pickle(data, out, compresslevel: int = GZIP_LEVEL) -> Path:
    """Write `data` to `out` as a gzip'd pickle, atomically and reproducibly.

    The bytes go to a temporary file in the same folder, which replaces `out`
    only once complete: an interrupted write never leaves a half file at `out`.
    The gzip header carries no time stamp or name, so equal data give equal files.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                               compresslevel=compresslevel, mtime=0) as zipped:
                pickle.dump(data, zipped, protocol=PICKLE_PROTOCOL)
            raw.flush()
            os.fsync(raw.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a data file need not be
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def sha256_of(path, chunk_size: int = 1 << 20) -> str:
    """The sha256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------------------
# Downloading the four IDX files
# ---------------------------------------------------------------------------

# Size in bytes and sha256 of each file's *uncompressed* content. Mirrors wrap
# the files in different gzip streams, but the content is the same everywhere.
IDX_FILES = {
    "train-images-idx3-ubyte": (47_040_016, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    "train-labels-idx1-ubyte": (60_008, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    "t10k-images-idx3-ubyte": (7_840_016, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    "t10k-labels-idx1-ubyte": (10_008, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
}

# Tried in order. Each serves <name>.gz for the four names above.
DEFAULT_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)

TIMEOUT_SECONDS = 30  # per connection attempt and per read
ATTEMPTS = 3  # per mirror and file, for errors that may pass (timeouts, cut-offs)
BACKOFF_SECONDS = 1.0  # wait before the 2nd attempt; doubles after each failure
CHUNK_BYTES = 1 << 16


def _say(message: str) -> None:
    """Progress and status go to stderr, like the progress bar."""
    print(message, file=sys.stderr, flush=True)


class TransferCutOff(ConnectionError):
    """The source closed before sending all the bytes it announced."""


class _ProgressBar:
    """A text progress bar on stderr.

    On a terminal it redraws itself in place; in a log (CI) it writes only
    one line when the transfer ends, so the log stays readable.
    """

    WIDTH = 30

    def __init__(self, label: str, total):
        self.label, self.total = label, total
        self.live = sys.stderr.isatty()
        self.started = self.drawn = time.monotonic()

    def update(self, done: int) -> None:
        now = time.monotonic()
        if self.live and now - self.drawn >= 0.1:
            self.drawn = now
            print("\r" + self._bar(done), end="", file=sys.stderr, flush=True)

    def finish(self, done: int) -> None:
        seconds = time.monotonic() - self.started
        line = f"{self._bar(done)}  {seconds:.1f} s"
        print(("\r" if self.live else "") + line, file=sys.stderr, flush=True)

    def _bar(self, done: int) -> str:
        if not self.total:  # size unknown: no bar, just the count
            return f"  {self.label} {_size(done)}"
        filled = int(self.WIDTH * min(done / self.total, 1))
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        return (f"  {self.label} [{bar}] {done / self.total:4.0%} "
                f"{_size(done)} of {_size(self.total)}")


def _size(count: int) -> str:
    """A byte count for people: 9.6 MB, 29 kB."""
    return f"{count / 1e6:.1f} MB" if count >= 1e6 else f"{count / 1e3:.0f} kB"


def _is_url(mirror: str) -> bool:
    """A mirror is a URL (http://, https://, file://) or else a local folder."""
    return "://" in mirror


def _open_source(mirror: str, filename: str):
    """Open `filename` on `mirror`; return (stream, announced size or None)."""
    if _is_url(mirror):
        url = mirror.rstrip("/") + "/" + filename
        request = urllib.request.Request(url, headers={"User-Agent": "kata-mnist/1"})
        response = urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)
        length = response.headers.get("Content-Length")
        return response, int(length) if length else None
    folder = Path(mirror).expanduser()
    if not folder.is_dir():
        raise NotADirectoryError("no such folder")
    path = folder / filename
    return open(path, "rb"), path.stat().st_size


def _copy(mirror: str, filename: str, destination: Path) -> None:
    """Copy `filename` from `mirror` to `destination`, with a progress bar."""
    stream, size = _open_source(mirror, filename)
    bar = _ProgressBar(filename, size)
    done = 0
    with stream, open(destination, "wb") as out:
        while chunk := stream.read(CHUNK_BYTES):
            out.write(chunk)
            done += len(chunk)
            bar.update(done)
    bar.finish(done)
    # urllib does not notice when a server closes early: count the bytes.
    if size is not None and done != size:
        raise TransferCutOff(f"the transfer stopped after {done:,} of {size:,} bytes")


def verify(gz_path: Path, name: str):
    """None if `gz_path` un-gzips to exactly the pinned content of `name`, else what is wrong."""
    size, sha256 = IDX_FILES[name]
    digest, count = hashlib.sha256(), 0
    try:
        with gzip.open(gz_path, "rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
                count += len(chunk)
    except EOFError:
        return "truncated gzip stream (the transfer was cut off)"
    except (gzip.BadGzipFile, zlib.error) as err:
        return f"corrupt gzip data ({err})"
    if count != size:
        return f"wrong content: {count:,} bytes once uncompressed, expected {size:,}"
    if digest.hexdigest() != sha256:
        return (f"checksum mismatch: the uncompressed content has sha256 "
                f"{digest.hexdigest()[:16]}..., expected {sha256[:16]}...")
    return None


def _worth_retrying(err: Exception) -> bool:
    """Whether another attempt at the same mirror might succeed."""
    if isinstance(err, urllib.error.HTTPError):
        return err.code >= 500 or err.code in (408, 429)
    if isinstance(err, urllib.error.URLError):
        # An unknown host or a refused connection will not change in a second.
        return not isinstance(err.reason, (socket.gaierror, ConnectionRefusedError))
    if isinstance(err, (FileNotFoundError, NotADirectoryError)):
        return False
    return True  # timeouts, resets, cut-off transfers


def _reason(err: Exception) -> str:
    """A one-line reason for a failed attempt."""
    if isinstance(err, urllib.error.HTTPError):
        return f"HTTP {err.code} {err.reason}"
    if isinstance(err, urllib.error.URLError):
        return f"cannot connect ({err.reason})"
    if isinstance(err, FileNotFoundError):
        return f"no {Path(err.filename).name} in that folder"
    return str(err) or type(err).__name__


def _fetch_from(mirror: str, name: str, target: Path):
    """Fetch and verify `name` from one mirror into `target`; None or the reason it failed.

    The bytes go to `target`.part first and take its place only once their
    checksum is right, so a file at `target` is always a good one.
    """
    filename = f"{name}.gz"
    part = target.with_name(target.name + ".part")
    for attempt in range(1, ATTEMPTS + 1):
        try:
            _copy(mirror, filename, part)
            problem = verify(part, name)
            if problem is None:
                os.replace(part, target)
            # A bad file is not retried: the mirror would serve it again.
            return problem
        except (OSError, http.client.HTTPException) as err:
            problem = _reason(err)
            if not _worth_retrying(err) or attempt == ATTEMPTS:
                return problem
        finally:
            part.unlink(missing_ok=True)  # whatever happened, no .part is left
        wait = BACKOFF_SECONDS * 2 ** (attempt - 1)
        _say(f"  {filename}: {problem}; trying again in {wait:g} s")
        time.sleep(wait)
    return "not tried"  # only when ATTEMPTS < 1


def fetch(name: str, mirrors, raw_dir: Path):
    """Return (path of the verified ``<name>.gz`` in `raw_dir`, mirror used or None).

    A cached file whose content checks out is used as it is; one that does
    not is deleted and fetched again. Mirrors are tried in order.
    """
    target = raw_dir / f"{name}.gz"
    if target.exists():
        problem = verify(target, name)
        if problem is None:
            _say(f"  {target.name}: already downloaded and verified")
            return target, None
        _say(f"  {_show(target)}: {problem}; fetching it again")
        target.unlink()
    failures = []
    for mirror in mirrors:
        _say(f"  {target.name}: fetching from {mirror}")
        problem = _fetch_from(mirror, name, target)
        if problem is None:
            return target, mirror
        _say(f"  {target.name}: {problem}")
        failures.append(f"  {mirror}: {problem}")
    raise MnistDataError(
        f"{target.name}: could not fetch it from any mirror. Tried:\n"
        + "\n".join(failures)
        + "\nGive a mirror that works, a URL or a local folder holding the four "
          "MNIST .gz files: 'tox -e data -- --mirror URL_OR_FOLDER' or "
          "'MNIST_MIRROR=URL_OR_FOLDER tox -e data'.")


def fetch_all(mirrors, raw_dir: Path) -> dict:
    """Fetch and verify the four IDX files; return {name: path}."""
    raw_dir.mkdir(parents=True, exist_ok=True)
    order = list(mirrors)
    paths = {}
    for name in IDX_FILES:
        paths[name], used = fetch(name, order, raw_dir)
        if used is not None:  # ask the mirror that worked first next time
            order.remove(used)
            order.insert(0, used)
    return paths


# ---------------------------------------------------------------------------
# Building the classic pickle from the IDX files
# ---------------------------------------------------------------------------

VALIDATION_SIZE = 10_000  # the last 10,000 training digits, as in the classic file


def read_idx(gz_path: Path) -> np.ndarray:
    """The uint8 array in a gzip'd IDX file.

    IDX: two zero bytes, a type byte (0x08 for uint8), the number of
    dimensions, then each dimension as a big-endian 32-bit integer, then the data.
    """
    with gzip.open(gz_path, "rb") as stream:
        raw = stream.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise _bad_file(gz_path, "not an IDX file of unsigned bytes")
    ndim = raw[3]
    header_size = 4 + 4 * ndim
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    data = np.frombuffer(raw, dtype=np.uint8, offset=min(header_size, len(raw)))
    if len(raw) < header_size or data.size != int(np.prod(shape)):
        raise _bad_file(gz_path, f"IDX header says shape {shape}, but the file "
                                 f"holds {max(len(raw) - header_size, 0):,} data bytes")
    return data.reshape(shape)


def _images_and_labels(paths: dict, prefix: str):
    """(X float32 (n, 784) in [0, 1], y int64 (n,)) from the ``prefix`` IDX pair."""
    images = read_idx(paths[f"{prefix}-images-idx3-ubyte"])
    labels = read_idx(paths[f"{prefix}-labels-idx1-ubyte"])
    if images.ndim != 3 or images.shape[1:] != (28, 28) or labels.shape != images.shape[:1]:
        raise MnistDataError(
            f"{prefix} IDX files: images of shape {images.shape} do not match labels "
            f"of shape {labels.shape}. Delete data/raw/ and run '{BUILD_COMMAND}'.")
    return scale_pixels(images.reshape(len(images), PIXELS)), labels.astype(np.int64)


def idx_to_classic(paths: dict):
    """``(train, validation, test)`` from the four IDX files.

    The first 50,000 training digits are train, the last 10,000 validation
    (the split of the classic file); the t10k files are test.
    """
    X, y = _images_and_labels(paths, "train")
    cut = len(X) - VALIDATION_SIZE
    return (X[:cut], y[:cut]), (X[cut:], y[cut:]), _images_and_labels(paths, "t10k")


def build(mirrors, out=None, raw_dir=None, force: bool = False) -> Path:
    """Download what is missing and write the classic pickle to `out`.

    `out` defaults to data/mnist.pkl.gz and `raw_dir` (the download cache) to
    data/raw/. An `out` that already reads back fine is kept unless `force`.
    """
    out = FULL_PATH if out is None else Path(out)
    raw_dir = RAW_DIR if raw_dir is None else Path(raw_dir)
    if out.exists() and not force:
        try:
            read_mnist_pickle(out)
        except MnistDataError as err:
            _say(f"{_show(out)}: {err.problem or err}; rebuilding it.")
        else:
            _say(f"{_show(out)} is already built and reads back fine: nothing to do. "
                 f"('{REBUILD_COMMAND}' rebuilds it.)")
            return out
    started = time.monotonic()
    _say(f"Fetching MNIST into {_show(raw_dir)}/")
    paths = fetch_all(mirrors, raw_dir)
    _say(f"Building {_show(out)}")
    data = idx_to_classic(paths)
    write_mnist_pickle(data, out)
    sizes = " / ".join(f"{len(y):,}" for _, y in data)
    _say(f"Wrote {_show(out)} ({_size(out.stat().st_size)}; train / validation / "
         f"test = {sizes}) in {time.monotonic() - started:.1f} s.")
    return out


def choose_mirrors(flags) -> list:
    """The mirrors to try: --mirror flags, else $MNIST_MIRROR, else the official ones."""
    if flags:
        return list(flags)
    if os.environ.get("MNIST_MIRROR"):
        return [os.environ["MNIST_MIRROR"]]
    return list(DEFAULT_MIRRORS)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kata.mnist",
        description="Download full MNIST, verify it and build data/mnist.pkl.gz "
                    "(run it as 'tox -e data', options after '--').")
    parser.add_argument("--mirror", action="append", metavar="URL_OR_FOLDER",
                        help="where to fetch the four .gz files: a URL or a local folder; "
                             "repeat to try several in order (default: $MNIST_MIRROR, "
                             "else the official mirrors)")
    parser.add_argument("--out", type=Path,
                        help="the pickle to write (default: data/mnist.pkl.gz)")
    parser.add_argument("--force", action="store_true",
                        help="rebuild the pickle even if it reads back fine")
    args = parser.parse_args(argv)
    try:
        build(choose_mirrors(args.mirror), args.out, force=args.force)
    except MnistDataError as err:
        _say(f"error: {err}")
        return 1
    except KeyboardInterrupt:
        _say("\ninterrupted: no partial file was kept")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
