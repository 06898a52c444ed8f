"""Tests of kata/mnist.py: reading the classic pickle safely, and building it.

Most tests use tiny IDX files made here (with their hashes patched in), so
they run in a blink. Tests marked ``full`` use the full MNIST files of
``../shared/data/mnist`` and run with ``pytest --full``.
"""

import contextlib
import functools
import gzip
import hashlib
import os
import pickle
import socket
import threading
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from kata import mnist
from kata.mnist import MnistDataError, read_mnist_pickle

SHARED_MNIST = mnist.REPO.parent / "shared" / "data" / "mnist"
NAMES = tuple(mnist.IDX_FILES)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def idx_bytes(array: np.ndarray) -> bytes:
    """An IDX file of unsigned bytes, written independently of kata.mnist."""
    header = bytes([0, 0, 0x08, array.ndim])
    header += b"".join(size.to_bytes(4, "big") for size in array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_gz(path: Path, content: bytes) -> Path:
    path.write_bytes(gzip.compress(content, mtime=0))
    return path


def pickle_gz(path: Path, obj, protocol=4) -> Path:
    return write_gz(path, pickle.dumps(obj, protocol=protocol))


def tiny_classic(n_train=6, n_val=2, n_test=3, seed=0):
    """A small valid classic layout."""
    rng = np.random.default_rng(seed)
    return tuple((rng.random((n, 784), dtype=np.float32), rng.integers(0, 10, n))
                 for n in (n_train, n_val, n_test))


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def http_server(handler):
    """A loopback HTTP server in a thread; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # A short poll interval makes shutdown() quick (the default waits 0.5 s).
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def serving(folder: Path):
    """A loopback HTTP server for the files of `folder`."""
    return http_server(functools.partial(QuietHandler, directory=str(folder)))


def free_port() -> int:
    """A port on which nothing listens (a connection to it is refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TinyMnist:
    """Four tiny IDX files in a mirror folder; their sizes and hashes are patched in."""

    def __init__(self, root: Path, monkeypatch):
        rng = np.random.default_rng(1)
        self.arrays = {
            "train-images-idx3-ubyte": rng.integers(0, 256, (12, 28, 28)).astype(np.uint8),
            "train-labels-idx1-ubyte": rng.integers(0, 10, 12).astype(np.uint8),
            "t10k-images-idx3-ubyte": rng.integers(0, 256, (4, 28, 28)).astype(np.uint8),
            "t10k-labels-idx1-ubyte": rng.integers(0, 10, 4).astype(np.uint8),
        }
        self.mirror = root / "mirror"
        self.mirror.mkdir()
        pins = {}
        for name, array in self.arrays.items():
            content = idx_bytes(array)
            write_gz(self.mirror / f"{name}.gz", content)
            pins[name] = (len(content), hashlib.sha256(content).hexdigest())
        self.raw = root / "raw"
        self.out = root / "out" / "mnist.pkl.gz"
        monkeypatch.setattr(mnist, "IDX_FILES", pins)
        monkeypatch.setattr(mnist, "VALIDATION_SIZE", 2)
        monkeypatch.setattr(mnist, "BACKOFF_SECONDS", 0)
        monkeypatch.setattr(mnist, "TIMEOUT_SECONDS", 5)

    def copy_mirror(self, folder: Path) -> Path:
        folder.mkdir()
        for path in self.mirror.iterdir():
            (folder / path.name).write_bytes(path.read_bytes())
        return folder

    def check_built(self, path):
        """The pickle at `path` holds exactly the tiny IDX data, split 10 / 2 / 4."""
        (X, y), (Xv, yv), (Xt, yt) = read_mnist_pickle(path)
        assert (len(y), len(yv), len(yt)) == (10, 2, 4)
        train_images = self.arrays["train-images-idx3-ubyte"].reshape(12, 784)
        assert np.array_equal(np.rint(np.vstack([X, Xv]) * 255), train_images)
        assert np.array_equal(np.concatenate([y, yv]), self.arrays["train-labels-idx1-ubyte"])
        assert np.array_equal(np.rint(Xt * 255), self.arrays["t10k-images-idx3-ubyte"].reshape(4, 784))
        assert np.array_equal(yt, self.arrays["t10k-labels-idx1-ubyte"])
        assert X.dtype == np.float32 and y.dtype == np.int64


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    return TinyMnist(tmp_path, monkeypatch)


def leftovers(folder: Path):
    """Files in `folder` that are not finished, verified ones."""
    if not folder.exists():
        return []
    return [p.name for p in folder.iterdir() if p.suffix in (".part", ".tmp")]


# ---------------------------------------------------------------------------
# The bundled sample
# ---------------------------------------------------------------------------


def test_sample_has_the_classic_layout():
    splits = read_mnist_pickle(mnist.SAMPLE_PATH)
    assert [len(y) for _, y in splits] == [4000, 500, 500]
    for X, y in splits:
        assert X.dtype == np.float32 and X.shape == (len(y), 784)
        assert y.dtype == np.int64 and y.shape == (len(X),)
        assert X.min() == 0.0 and X.max() == 1.0
        assert set(np.unique(y)) == set(range(10))
        assert len(set(np.bincount(y))) == 1  # balanced: as many of each digit
        assert len(np.unique(y[:20])) > 3  # classes are mixed, not in blocks


def test_without_a_path_the_sample_is_used_and_said_once(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(mnist, "FULL_PATH", tmp_path / "absent.pkl.gz")
    monkeypatch.setattr(mnist, "_sample_notice_given", False)
    first = read_mnist_pickle()
    read_mnist_pickle()
    err = capsys.readouterr().err
    assert err.count("Note:") == 1 and "bundled sample" in err and "tox -e data" in err
    assert len(first[0][1]) == 4000


def test_without_a_path_the_full_file_is_preferred(monkeypatch, tmp_path, capsys):
    full = pickle_gz(tmp_path / "mnist.pkl.gz", tiny_classic())
    monkeypatch.setattr(mnist, "FULL_PATH", full)
    assert len(read_mnist_pickle()[0][1]) == 6
    assert capsys.readouterr().err == ""


# ---------------------------------------------------------------------------
# Reading: what is accepted
# ---------------------------------------------------------------------------


def test_other_numeric_dtypes_are_converted(tmp_path):
    data = tuple((X.astype(np.float64), y.astype(np.uint8)) for X, y in tiny_classic())
    splits = read_mnist_pickle(pickle_gz(tmp_path / "f64.pkl.gz", data))
    for (X, y), (X0, y0) in zip(splits, data):
        assert X.dtype == np.float32 and y.dtype == np.int64
        assert np.allclose(X, X0) and np.array_equal(y, y0)


@pytest.mark.parametrize("protocol", [2, 3, 4, 5])
def test_every_pickle_protocol_reads(tmp_path, protocol):
    data = tiny_classic()
    splits = read_mnist_pickle(pickle_gz(tmp_path / "p.pkl.gz", data, protocol))
    assert np.array_equal(splits[2][0], data[2][0])


def test_numpy_1_names_are_accepted(tmp_path):
    # numpy 1 wrote "numpy.core.multiarray"; numpy 2 writes "numpy._core.multiarray".
    raw = pickle.dumps(tiny_classic(), protocol=2)
    raw = raw.replace(b"numpy._core.multiarray\n", b"numpy.core.multiarray\n")
    assert b"numpy.core.multiarray\n_reconstruct" in raw
    splits = read_mnist_pickle(write_gz(tmp_path / "np1.pkl.gz", raw))
    assert len(splits[0][1]) == 6


def python2_pickle(data) -> bytes:
    """A pickle as Python 2 and numpy 1 wrote the classic file (protocol 2).

    Array data are Python 2 byte strings (BINSTRING), which Python 3 can only
    read with encoding='latin1'.
    """
    def binstring(raw: bytes) -> bytes:
        return b"T" + len(raw).to_bytes(4, "little") + raw

    def short(text: str) -> bytes:
        return b"U" + bytes([len(text)]) + text.encode()

    def integer(value: int) -> bytes:
        return b"J" + value.to_bytes(4, "little", signed=True)

    def dtype(code: str) -> bytes:
        # numpy.dtype(code, 0, 1), then its state (3, '<', None, None, None, -1, -1, 0)
        return (b"cnumpy\ndtype\n" + short(code) + integer(0) + integer(1) + b"\x87R"
                + b"(" + integer(3) + short("<") + b"NNN" + integer(-1) + integer(-1)
                + integer(0) + b"tb")

    def array(a: np.ndarray) -> bytes:
        code = "f4" if a.dtype == np.float32 else "i8"
        shape = b"(" + b"".join(integer(n) for n in a.shape) + b"t"
        return (b"cnumpy.core.multiarray\n_reconstruct\n" + b"cnumpy\nndarray\n"
                + b"(" + integer(0) + b"t" + short("b") + b"\x87R"
                + b"(" + integer(1) + shape + dtype(code) + b"\x89"
                + binstring(a.tobytes()) + b"tb")

    body = b"".join(array(X) + array(y) + b"\x86" for X, y in data)
    return b"\x80\x02" + body + b"\x87."


def test_a_python_2_pickle_reads(tmp_path):
    data = tuple((X, y.astype(np.int64)) for X, y in tiny_classic())
    raw = python2_pickle(data)
    with pytest.raises(UnicodeDecodeError):  # why encoding='latin1' is needed
        pickle.loads(raw)
    splits = read_mnist_pickle(write_gz(tmp_path / "py2.pkl.gz", raw))
    for (X, y), (X0, y0) in zip(splits, data):
        assert np.array_equal(X, X0) and np.array_equal(y, y0)


# ---------------------------------------------------------------------------
# Reading: what is refused, and what it says
# ---------------------------------------------------------------------------


class RunsCommand:
    """Unpickling this runs a shell command (through os.system)."""

    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


class CallsEval:
    def __reduce__(self):
        return (eval, ("__import__('os').getcwd()",))


def test_a_hostile_pickle_is_refused_without_running_it(tmp_path):
    marker = tmp_path / "pwned"
    (X, y), val, test = tiny_classic()
    hostile = ((X, RunsCommand(f"touch '{marker}'")), val, test)
    path = pickle_gz(tmp_path / "hostile.pkl.gz", hostile)
    with pytest.raises(MnistDataError) as caught:
        read_mnist_pickle(path)
    message = str(caught.value)
    assert "hostile.pkl.gz" in message and "refused" in message
    assert f"{os.system.__module__}.system" in message  # names the global
    assert not marker.exists()


def test_eval_is_refused(tmp_path):
    path = pickle_gz(tmp_path / "eval.pkl.gz", (CallsEval(),))
    with pytest.raises(MnistDataError, match=r"builtins\.eval"):
        read_mnist_pickle(path)


def test_a_missing_full_file_says_to_build_it(monkeypatch, tmp_path):
    monkeypatch.setattr(mnist, "FULL_PATH", tmp_path / "mnist.pkl.gz")
    with pytest.raises(MnistDataError) as caught:
        read_mnist_pickle(tmp_path / "mnist.pkl.gz")
    assert "mnist.pkl.gz: no such file" in str(caught.value)
    assert "'tox -e data'" in str(caught.value)


def test_a_damaged_full_file_says_to_rebuild_it(monkeypatch, tmp_path):
    path = tmp_path / "mnist.pkl.gz"
    path.write_bytes(gzip.compress(pickle.dumps(tiny_classic()))[:-100])
    monkeypatch.setattr(mnist, "FULL_PATH", path)
    with pytest.raises(MnistDataError) as caught:
        read_mnist_pickle(path)
    assert "truncated gzip stream" in str(caught.value)
    assert "'tox -e data -- --force'" in str(caught.value)


def _good_bytes():
    return gzip.compress(pickle.dumps(tiny_classic(), protocol=4), mtime=0)


def _flip_middle(raw: bytes) -> bytes:
    middle = len(raw) // 2
    return raw[:middle] + bytes([raw[middle] ^ 0xFF]) + raw[middle + 1:]


def _with_split(index, split):
    data = list(tiny_classic())
    data[index] = split
    return gzip.compress(pickle.dumps(tuple(data)))


def _images(X):
    return _with_split(0, (X, np.zeros(len(X), np.int64)))


BAD_FILES = {
    "empty": (b"", "the file is empty"),
    "not gzip": (b"just some text\n", "not a gzip file"),
    "truncated": (_good_bytes()[:-200], "truncated gzip stream"),
    "corrupt": (_flip_middle(_good_bytes()), "corrupt gzip data"),
    "not a pickle": (gzip.compress(b"hello, world"), "not a readable pickle"),
    "trailing data": (gzip.compress(pickle.dumps(tiny_classic()) + b"junk"),
                      "unexpected data after the pickle"),
    "a list": (gzip.compress(pickle.dumps(list(tiny_classic()))),
               "expected a tuple (train, validation, test), found a list of 3 items"),
    "two splits": (gzip.compress(pickle.dumps(tiny_classic()[:2])),
                   "found a tuple of 2 items"),
    "split not a pair": (_with_split(1, (np.zeros((2, 784)),)),
                         "validation: expected a pair (images, labels)"),
    "images 28x28": (_images(np.zeros((3, 28, 28), np.float32)),
                     "train images have shape (3, 28, 28); expected (n, 784)"),
    "images as list": (_with_split(0, ([0.0] * 784, np.zeros(1, np.int64))),
                       "train images: expected a numpy array, found a list"),
    "pixels 0-255": (_images(np.full((3, 784), 255, np.uint8)),
                     "train pixel values lie in [255, 255]; expected [0, 1]"),
    "pixels nan": (_images(np.full((3, 784), np.nan, np.float32)),
                   "train pixel values lie in [nan, nan]"),
    "labels short": (_with_split(2, (np.zeros((3, 784), np.float32), np.zeros(2, np.int64))),
                     "test labels have shape (2,); expected (3,), one per image"),
    "labels 10": (_with_split(2, (np.zeros((3, 784), np.float32), np.array([1, 10, 2]))),
                  "test labels lie in [1, 10]; expected 0..9"),
    "labels fractional": (_with_split(2, (np.zeros((3, 784), np.float32),
                                          np.array([1.0, 2.5, 3.0]))),
                          "test labels have dtype float64; expected whole numbers"),
}


@pytest.mark.parametrize("content, expected", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_gets_a_clear_error(tmp_path, content, expected):
    path = tmp_path / "given.pkl.gz"
    path.write_bytes(content)
    with pytest.raises(MnistDataError) as caught:
        read_mnist_pickle(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")  # names the file
    assert expected in message  # says what is wrong
    assert "tox -e data" in message  # says what to run


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(MnistDataError, match="nowhere.pkl.gz: no such file"):
        read_mnist_pickle(tmp_path / "nowhere.pkl.gz")


def test_the_sample_missing_says_how_to_restore_it(monkeypatch, tmp_path):
    monkeypatch.setattr(mnist, "FULL_PATH", tmp_path / "absent.pkl.gz")
    monkeypatch.setattr(mnist, "SAMPLE_PATH", tmp_path / "absent-sample.pkl.gz")
    with pytest.raises(MnistDataError, match="git checkout -- data/mnist-sample.pkl.gz"):
        read_mnist_pickle()


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def test_writing_is_reproducible(tmp_path):
    one = mnist.write_mnist_pickle(tiny_classic(), tmp_path / "a" / "one.pkl.gz")
    two = mnist.write_mnist_pickle(tiny_classic(), tmp_path / "b" / "two.pkl.gz")
    assert one.read_bytes() == two.read_bytes()


def test_an_interrupted_write_leaves_the_old_file(tmp_path, monkeypatch):
    out = mnist.write_mnist_pickle(tiny_classic(seed=1), tmp_path / "mnist.pkl.gz")
    before = out.read_bytes()

    def dump_then_interrupt(obj, file, protocol):
        file.write(b"some bytes")
        raise KeyboardInterrupt

    monkeypatch.setattr(mnist.pickle, "dump", dump_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        mnist.write_mnist_pickle(tiny_classic(seed=2), out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mnist.pkl.gz"]


# ---------------------------------------------------------------------------
# Building from tiny IDX files
# ---------------------------------------------------------------------------


def test_build_from_a_local_folder(tiny):
    mnist.build([str(tiny.mirror)], tiny.out, tiny.raw)
    tiny.check_built(tiny.out)
    assert sorted(p.name for p in tiny.raw.iterdir()) == sorted(f"{n}.gz" for n in NAMES)


def test_build_over_http(tiny):
    with serving(tiny.mirror) as url:
        mnist.build([url], tiny.out, tiny.raw)
    tiny.check_built(tiny.out)


def test_a_built_file_is_kept_and_downloads_are_not_fetched_again(tiny, tmp_path, capsys):
    mnist.build([str(tiny.mirror)], tiny.out, tiny.raw)
    stamp = tiny.out.stat().st_mtime_ns
    nowhere = str(tmp_path / "no-such-mirror")
    mnist.build([nowhere], tiny.out, tiny.raw)  # nothing to do
    assert tiny.out.stat().st_mtime_ns == stamp
    assert "nothing to do" in capsys.readouterr().err
    mnist.build([nowhere], tiny.out, tiny.raw, force=True)  # rebuilt from the cache
    assert tiny.out.stat().st_mtime_ns != stamp
    assert capsys.readouterr().err.count("already downloaded and verified") == 4
    tiny.check_built(tiny.out)


def test_a_damaged_built_file_is_rebuilt(tiny, capsys):
    mnist.build([str(tiny.mirror)], tiny.out, tiny.raw)
    good = tiny.out.read_bytes()
    tiny.out.write_bytes(good[: len(good) // 2])
    capsys.readouterr()
    mnist.build([str(tiny.mirror)], tiny.out, tiny.raw)
    assert tiny.out.read_bytes() == good
    assert "truncated gzip stream" in capsys.readouterr().err


def test_a_bad_cached_file_is_fetched_again(tiny, capsys):
    tiny.raw.mkdir()
    cached = tiny.raw / "t10k-labels-idx1-ubyte.gz"
    cached.write_bytes(gzip.compress(b"not the labels"))
    mnist.build([str(tiny.mirror)], tiny.out, tiny.raw)
    assert "fetching it again" in capsys.readouterr().err
    assert mnist.verify(cached, "t10k-labels-idx1-ubyte") is None
    tiny.check_built(tiny.out)


def corrupt_copy(tiny, folder: Path) -> Path:
    """A copy of the mirror whose train labels are valid gzip of wrong content."""
    tiny.copy_mirror(folder)
    content = idx_bytes(tiny.arrays["train-labels-idx1-ubyte"])
    write_gz(folder / "train-labels-idx1-ubyte.gz", content[:-1] + bytes([(content[-1] + 1) % 10]))
    return folder


def test_a_checksum_mismatch_is_refused(tiny, tmp_path):
    bad = corrupt_copy(tiny, tmp_path / "bad")
    with pytest.raises(MnistDataError) as caught:
        mnist.build([str(bad)], tiny.out, tiny.raw)
    message = str(caught.value)
    assert message.startswith("train-labels-idx1-ubyte.gz: could not fetch it from any mirror")
    assert "checksum mismatch" in message and "MNIST_MIRROR" in message
    assert not (tiny.raw / "train-labels-idx1-ubyte.gz").exists()
    assert leftovers(tiny.raw) == [] and not tiny.out.exists()


def test_a_checksum_mismatch_falls_back_to_the_next_mirror(tiny, tmp_path):
    bad = corrupt_copy(tiny, tmp_path / "bad")
    mnist.build([str(bad), str(tiny.mirror)], tiny.out, tiny.raw)
    tiny.check_built(tiny.out)


def cut_off_handler(folder: Path, requests: list):
    """A handler that announces each whole file and then hangs up half way."""

    class CutOff(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            body = (folder / self.path.lstrip("/")).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True

        def log_message(self, *args):
            pass

    return CutOff


def test_a_transfer_cut_off_half_way_is_retried_then_refused(tiny):
    requests = []
    with http_server(cut_off_handler(tiny.mirror, requests)) as url:
        with pytest.raises(MnistDataError) as caught:
            mnist.build([url], tiny.out, tiny.raw)
    assert "the transfer stopped after" in str(caught.value)
    assert requests == ["/train-images-idx3-ubyte.gz"] * mnist.ATTEMPTS
    assert list(tiny.raw.iterdir()) == [] and not tiny.out.exists()


def test_an_interrupted_download_leaves_no_part_file(tiny, monkeypatch, capsys):
    real_copy = mnist._copy

    def copy_then_interrupt(mirror, filename, destination):
        real_copy(mirror, filename, destination)  # the .part is on disk now
        raise KeyboardInterrupt

    monkeypatch.setattr(mnist, "_copy", copy_then_interrupt)
    monkeypatch.setattr(mnist, "RAW_DIR", tiny.raw)
    assert mnist.main(["--mirror", str(tiny.mirror), "--out", str(tiny.out)]) == 130
    assert "interrupted: no partial file was kept" in capsys.readouterr().err
    assert list(tiny.raw.iterdir()) == [] and not tiny.out.exists()


def test_a_truncated_file_on_a_mirror_is_refused(tiny, tmp_path):
    short = tiny.copy_mirror(tmp_path / "short")
    image_file = short / "t10k-images-idx3-ubyte.gz"
    image_file.write_bytes(image_file.read_bytes()[:-300])
    with serving(short) as url, pytest.raises(MnistDataError) as caught:
        mnist.build([url], tiny.out, tiny.raw)
    assert str(caught.value).startswith("t10k-images-idx3-ubyte.gz: ")
    assert "truncated gzip stream" in str(caught.value)
    assert leftovers(tiny.raw) == []


def test_a_missing_file_on_a_mirror_is_not_retried(tiny, tmp_path):
    with serving(tmp_path / "empty-dir") as url, pytest.raises(MnistDataError) as caught:
        (tmp_path / "empty-dir").mkdir()
        mnist.build([url], tiny.out, tiny.raw)
    assert "HTTP 404" in str(caught.value)
    assert "trying again" not in str(caught.value)


def test_unreachable_mirrors_are_all_listed(tiny, tmp_path, capsys):
    refused = f"http://127.0.0.1:{free_port()}/mnist/"
    folder = str(tmp_path / "no-such-folder")
    with pytest.raises(MnistDataError) as caught:
        mnist.build([refused, folder], tiny.out, tiny.raw)
    message = str(caught.value)
    assert f"  {refused}: cannot connect" in message
    assert f"  {folder}: no such folder\n" in message
    assert "--mirror URL_OR_FOLDER" in message and "MNIST_MIRROR=" in message
    assert "trying again" not in capsys.readouterr().err  # refused: not retried


def test_a_folder_without_the_files_is_named(tiny, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(MnistDataError, match="empty: no train-images-idx3-ubyte.gz in that folder"):
        mnist.build([str(tmp_path / "empty")], tiny.out, tiny.raw)


def test_mirrors_come_from_the_flag_then_the_environment(monkeypatch):
    monkeypatch.delenv("MNIST_MIRROR", raising=False)
    assert mnist.choose_mirrors(None) == list(mnist.DEFAULT_MIRRORS)
    monkeypatch.setenv("MNIST_MIRROR", "/srv/mnist")
    assert mnist.choose_mirrors(None) == ["/srv/mnist"]
    assert mnist.choose_mirrors(["http://a/", "http://b/"]) == ["http://a/", "http://b/"]


def test_the_command_line(tiny, monkeypatch, capsys):
    monkeypatch.setattr(mnist, "RAW_DIR", tiny.raw)
    monkeypatch.setenv("MNIST_MIRROR", str(tiny.mirror))
    assert mnist.main(["--out", str(tiny.out)]) == 0
    tiny.check_built(tiny.out)
    assert mnist.main(["--out", str(tiny.out), "--mirror", "/nowhere", "--force"]) == 0
    (tiny.raw / "train-images-idx3-ubyte.gz").unlink()
    assert mnist.main(["--out", str(tiny.out), "--mirror", "/nowhere", "--force"]) == 1
    assert "error: train-images-idx3-ubyte.gz: could not fetch" in capsys.readouterr().err


def test_a_bad_idx_header_is_named(tmp_path):
    path = write_gz(tmp_path / "x.gz", b"\x00\x00\x08\x01" + (5).to_bytes(4, "big") + b"abc")
    with pytest.raises(MnistDataError, match=r"x.gz: IDX header says shape \(5,\)"):
        mnist.read_idx(path)


# ---------------------------------------------------------------------------
# The full MNIST files (../shared/data/mnist)
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_mnist():
    if not all((SHARED_MNIST / f"{name}.gz").exists() for name in NAMES):
        pytest.skip(f"the full MNIST files are not in {SHARED_MNIST}")
    return SHARED_MNIST


def test_http_download_of_the_full_files(shared_mnist, tmp_path):
    with serving(shared_mnist) as url:
        paths = mnist.fetch_all([url], tmp_path)
    assert all(mnist.verify(paths[name], name) is None for name in NAMES)


@pytest.fixture(scope="module")
def full_build(shared_mnist, tmp_path_factory):
    out = tmp_path_factory.mktemp("full") / "mnist.pkl.gz"
    mnist.build([str(shared_mnist)], out, out.parent / "raw")
    return read_mnist_pickle(out)


def raw_idx(name):
    """An IDX file of the shared folder, parsed here without kata.mnist."""
    content = gzip.decompress((SHARED_MNIST / f"{name}.gz").read_bytes())
    header = 16 if "images" in name else 8
    return np.frombuffer(content, dtype=np.uint8, offset=header)


@pytest.mark.full
def test_full_build_has_the_classic_split(full_build):
    assert [X.shape for X, _ in full_build] == [(50000, 784), (10000, 784), (10000, 784)]
    assert [y.shape for _, y in full_build] == [(50000,), (10000,), (10000,)]
    (X, y), _, _ = full_build
    assert y[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert X.dtype == np.float32 and X.min() == 0 and X.max() == 1


@pytest.mark.full
def test_full_build_matches_the_idx_files_exactly(full_build):
    (X, y), (Xv, yv), (Xt, yt) = full_build
    train = np.vstack([X, Xv])
    assert np.array_equal(train, raw_idx("train-images-idx3-ubyte").reshape(-1, 784) / np.float32(255))
    assert np.array_equal(np.concatenate([y, yv]), raw_idx("train-labels-idx1-ubyte"))
    assert np.array_equal(Xt, raw_idx("t10k-images-idx3-ubyte").reshape(-1, 784) / np.float32(255))
    assert np.array_equal(yt, raw_idx("t10k-labels-idx1-ubyte"))


@pytest.mark.full
def test_full_build_pixel_checksums(full_build):
    # Figures from ../shared/data/mnist/README.md, on the 0-255 scale.
    (X, _), (Xv, _), _ = full_build
    train = np.vstack([X, Xv]).astype(np.float64) * 255
    assert train.mean() == pytest.approx(33.318421, abs=1e-5)
    assert train.std() == pytest.approx(78.567490, abs=1e-5)
    row_5 = np.rint(X[0].reshape(28, 28)[5, -16:] * 255).astype(int).tolist()
    assert row_5 == [3, 18, 18, 18, 126, 136, 175, 26, 166, 255, 247, 127, 0, 0, 0, 0]
