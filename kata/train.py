"""Train the slides' network on MNIST: ``tox -e train`` (``python -m kata.train``).

The network of the slides, 784-392-196-10 with a sigmoid after each dense
layer, MSE loss and SGD on mini-batches of 10, built from ``solutions/``.
It trains on full MNIST (``data/mnist.pkl.gz``, built by ``tox -e data``)
when present, else on the bundled sample of 5,000 digits.

    python -m kata.train                              # the defaults (97.5 % or more)
    python -m kata.train --slides                     # the slides' literal settings
    python -m kata.train --dtype float32 --save model.npz --plot plots
    python -m kata.train --load model.npz             # evaluate a saved model
    python -m kata.train --package exercises          # train your own network

Each epoch prints the slides' line ``Epoch N: correct / total`` followed by
the accuracy, the mean training loss and the epoch's time; on a terminal, a
progress bar on stderr shows the epoch's progress.

Two engines do the same arithmetic (a test checks it against the slides'
per-sample loop to 1e-10):

matrix (the default)
    ``kata.matrix.train_step``: the whole mini-batch as one matrix, each
    weight matrix updated in one pass. About 16 times faster than the
    slides' loop in float64, 25 times in float32 (BENCHMARKS.md).
network
    the package's own ``SequentialNetwork.train_batch`` on lists of
    ``(x, y)`` pairs: the layers' ``forward``, ``backward`` and
    ``update_params`` as the slides write them, so ``--package exercises``
    trains the code you wrote. About half the speed of ``matrix``.
"""
import argparse
import contextlib
import importlib
import io
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kata import matrix, models
from kata.mnist import FULL_PATH, SAMPLE_PATH, MnistDataError, read_mnist_pickle

SLIDES_LAYERS = (784, 392, 196, 10)

# The defaults, measured (README.md, "What to expect"): the slides' network,
# mini-batch and rate, with weights scaled to the layer's inputs and a rate
# that grows from 0 to 3.0 over the first epoch. Every seed tried reached
# 97.5 % on the test set within 10 epochs. --slides gives the slides' own
# settings: N(0, 1) weights and the rate 3.0 from the first step.
DEFAULT_EPOCHS = 10
DEFAULT_BATCH_SIZE = 10
DEFAULT_RATE = 3.0
DEFAULT_INIT = "scaled"
DEFAULT_WARMUP = 1  # epochs
DEFAULT_SEED = 0


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

@dataclass
class Data:
    """MNIST as matrices: one column per sample."""
    x_train: np.ndarray       # (784, n) pixels in [0, 1]
    y_train: np.ndarray       # (10, n) one-hot labels
    labels_train: np.ndarray  # (n,) the same labels as ints 0..9
    x_test: np.ndarray        # (784, m)
    labels_test: np.ndarray   # (m,) ints 0..9
    source: str               # what the data is, for people

    def train_pairs(self):
        """The training set as the slides' list of (x (784, 1), y (10, 1)) pairs (views)."""
        return [(self.x_train[:, i:i + 1], self.y_train[:, i:i + 1])
                for i in range(self.x_train.shape[1])]

    def test_pairs(self):
        y_test = one_hot(self.labels_test, self.x_test.dtype)
        return [(self.x_test[:, i:i + 1], y_test[:, i:i + 1])
                for i in range(self.x_test.shape[1])]


def one_hot(labels, dtype):
    """(10, n) one-hot columns for the ints ``labels`` (the slides' encode_label, n at once)."""
    y = np.zeros((10, len(labels)), dtype=dtype)
    y[labels, np.arange(len(labels))] = 1
    return y


def load_data(path=None, dtype=np.float64, train_size=None, test_size=None):
    """Read MNIST (kata.mnist) and return it as matrices of ``dtype``.

    path None: data/mnist.pkl.gz if built, else the bundled sample (with a
    notice on stderr). The matrices are made once here, so that training
    takes each mini-batch as a slice of them instead of stacking pairs.
    """
    if path is None:
        source = "full MNIST" if FULL_PATH.exists() else "the bundled sample"
        path_shown = FULL_PATH if FULL_PATH.exists() else SAMPLE_PATH
    else:
        source, path_shown = "data file", Path(path)
    (x_train, labels_train), _validation, (x_test, labels_test) = read_mnist_pickle(path)
    x_train, labels_train = x_train[:train_size], labels_train[:train_size]
    x_test, labels_test = x_test[:test_size], labels_test[:test_size]
    # The pickle has one row per digit; the slides' columns are its transpose.
    # Fortran order keeps each digit's 784 pixels together, so gathering the
    # columns of a mini-batch reads 10 contiguous blocks.
    x_train = np.asfortranarray(x_train.T, dtype=dtype)
    x_test = np.asfortranarray(x_test.T, dtype=dtype)
    counts = f"{x_test.shape[1]:,} test digits"
    if x_train.shape[1]:
        counts = f"{x_train.shape[1]:,} training and " + counts
    described = f"{_shown(path_shown)} ({source}): {counts}"
    return Data(x_train, one_hot(labels_train, dtype), labels_train, x_test, labels_test,
                described)


def _count(n, noun):
    return f"{n:g} {noun}" + ("" if n == 1 else "s")


def _shown(path):
    try:
        return Path(path).resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------
# The network
# ---------------------------------------------------------------------------

def import_package(package):
    """(network module, layers module) of ``solutions`` or ``exercises``."""
    return (importlib.import_module(f"{package}.network"),
            importlib.import_module(f"{package}.layers"))


def build_network(sizes, init=DEFAULT_INIT, dtype=np.float64, package="solutions"):
    """The slides' network: DenseLayer(a, b) then ActivationLayer(b) for each pair of sizes.

    The weights come from np.random (seed it first). The slides' constructors
    print the network; that goes nowhere here, the CLI prints its own summary.
    """
    network, layers = import_package(package)
    with contextlib.redirect_stdout(io.StringIO()):
        net = network.SequentialNetwork()
        for n_in, n_out in zip(sizes, sizes[1:]):
            net.add(layers.DenseLayer(n_in, n_out, init=init, dtype=dtype))
            net.add(layers.ActivationLayer(n_out))
    return net


def network_sizes(net):
    dense = matrix.dense_layers(net)
    return [dense[0].weight.shape[1]] + [layer.weight.shape[0] for layer in dense]


# ---------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------

class Progress:
    """A progress bar for one epoch, on stderr.

    On a terminal it redraws itself in place a few times a second and is
    erased when the epoch ends. In a log (CI, a pipe) it writes nothing:
    the epoch's line on stdout says it all.
    """

    WIDTH = 30

    def __init__(self, label, total, stream=None):
        self.stream = sys.stderr if stream is None else stream
        self.live = self.stream.isatty()
        self.label, self.total = label, total
        self.started = self.drawn = time.monotonic()

    def update(self, done):
        now = time.monotonic()
        if self.live and now - self.drawn >= 0.2:
            self.drawn = now
            filled = int(self.WIDTH * done / self.total)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            print(f"\r{self.label} [{bar}] {done:,}/{self.total:,}  {now - self.started:.1f} s",
                  end="", file=self.stream, flush=True)

    def close(self):
        if self.live:
            print("\r\033[K", end="", file=self.stream, flush=True)


@dataclass
class Epoch:
    number: int
    correct: int
    total: int
    loss: float      # mean MSE loss per training sample, before each step
    seconds: float   # training and evaluation of this epoch

    @property
    def accuracy(self):
        return self.correct / self.total

    def line(self):
        """The slides' line, then what else there is to say."""
        return (f"Epoch {self.number}: {self.correct} / {self.total}"
                f"   {100 * self.accuracy:.2f} %   loss {self.loss:.4f}   {self.seconds:.1f} s")


@dataclass
class History:
    epochs: list = field(default_factory=list)
    seconds: float = 0.0


def evaluate(net, data, engine):
    """How many test digits the network classifies right."""
    if engine == "matrix":
        return matrix.count_correct(matrix.dense_layers(net), data.x_test, data.labels_test)
    return net.evaluate(data.test_pairs())


def warmed_up_rate(learning_rate, warmup, seen, n):
    """The rate after ``seen`` training samples, epochs of ``n`` samples.

    With warmup > 0 it grows linearly from 0 to learning_rate over the first
    ``warmup`` epochs, then stays there; with warmup 0 it is constant, as on
    the slides. Small first steps keep a random network's output sigmoids
    out of saturation (see README.md: rate 3.0 without warm-up often sits
    at chance for epochs).
    """
    if warmup <= 0:
        return learning_rate
    return learning_rate * min(1.0, seen / (warmup * n))


def train(net, data, epochs=DEFAULT_EPOCHS, batch_size=DEFAULT_BATCH_SIZE,
          learning_rate=DEFAULT_RATE, seed=DEFAULT_SEED, engine="matrix",
          report=print, progress=True, warmup=DEFAULT_WARMUP):
    """Mini-batch SGD as the slides' SequentialNetwork.train, epoch by epoch.

    Each epoch shuffles the training set (np.random.default_rng(seed)), cuts
    it into mini-batches of batch_size (the last may be smaller), takes one
    step on each, then evaluates the test set and reports an Epoch. The rate
    warms up over the first ``warmup`` epochs (warmed_up_rate; 0: constant).
    engine "matrix": kata.matrix.train_step on column slices of the data;
    "network": the network's own train_batch on lists of (x, y) pairs.
    Returns the History.
    """
    rng = np.random.default_rng(seed)
    n = data.x_train.shape[1]
    history = History()
    started = time.perf_counter()
    if engine == "matrix":
        dense = matrix.dense_layers(net)
    else:
        pairs = data.train_pairs()
    for number in range(epochs):
        epoch_started = time.perf_counter()
        order = rng.permutation(n)
        bar = Progress(f"epoch {number}", n) if progress else None
        loss = 0.0
        for k in range(0, n, batch_size):
            batch = order[k:k + batch_size]
            rate = warmed_up_rate(learning_rate, warmup, number * n + k + len(batch), n)
            if engine == "matrix":
                x, y = data.x_train[:, batch], data.y_train[:, batch]
                loss += matrix.train_step(dense, x, y, rate)
            else:
                net.train_batch([pairs[i] for i in batch], rate)
                # The last layer still holds the batch's output from before the step.
                error = net.layers[-1].output_data - data.y_train[:, batch]
                loss += 0.5 * float(np.sum(error * error))
            if bar:
                bar.update(k + len(batch))
        if bar:
            bar.close()
        correct = evaluate(net, data, engine)
        epoch = Epoch(number, correct, data.x_test.shape[1], loss / n,
                      time.perf_counter() - epoch_started)
        history.epochs.append(epoch)
        report(epoch.line())
    history.seconds = time.perf_counter() - started
    return history


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------

def sizes_argument(text):
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes like 784,392,196,10, not {text!r}")
    if len(sizes) < 2 or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"expected at least two positive sizes, not {text!r}")
    if sizes[0] != 784 or sizes[-1] != 10:
        raise argparse.ArgumentTypeError(
            f"MNIST needs 784 inputs and 10 outputs: 784,...,10, not {text!r}")
    return tuple(sizes)


def positive(kind):
    def parse(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive, not {text}")
        return value
    return parse


def non_negative(kind):
    def parse(text):
        value = kind(text)
        if value < 0:
            raise argparse.ArgumentTypeError(f"must be 0 or more, not {text}")
        return value
    return parse


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m kata.train",
        description="Train the slides' network (784-392-196-10, sigmoid, MSE, "
                    "mini-batch SGD) on MNIST, or evaluate a saved model. "
                    "The defaults reach 97.5 % or more on the test set in 10 epochs.",
        epilog="The slides' literal settings: --slides (N(0, 1) weights, rate 3.0 "
               "from the first step): 45-90 % after 10 epochs, depending on the seed. "
               "Through tox, options go after --: tox -e train -- --epochs 3")
    parser.add_argument("--epochs", type=positive(int), default=DEFAULT_EPOCHS,
                        help=f"passes over the training set (default {DEFAULT_EPOCHS})")
    parser.add_argument("--batch-size", type=positive(int), default=DEFAULT_BATCH_SIZE,
                        help=f"samples per mini-batch (default {DEFAULT_BATCH_SIZE})")
    parser.add_argument("--rate", type=positive(float), default=DEFAULT_RATE,
                        help=f"learning rate, divided by the batch size as on the slides "
                             f"(default {DEFAULT_RATE}, the slides')")
    parser.add_argument("--warmup", type=non_negative(float), default=DEFAULT_WARMUP,
                        metavar="EPOCHS",
                        help=f"grow the rate linearly from 0 over the first EPOCHS epochs "
                             f"(default {DEFAULT_WARMUP}; 0: the full rate from the first "
                             "step, as on the slides)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"seeds the initial weights and the shuffles (default {DEFAULT_SEED})")
    parser.add_argument("--layers", type=sizes_argument, default=SLIDES_LAYERS,
                        metavar="SIZES", help="layer sizes, from 784 to 10 "
                        "(default 784,392,196,10, the slides')")
    parser.add_argument("--init", choices=("scaled", "normal"), default=DEFAULT_INIT,
                        help="initial weights: 'scaled', N(0, 1/inputs) (default), or "
                             "'normal', N(0, 1) as on the slides")
    parser.add_argument("--slides", action="store_true",
                        help="the slides' literal settings: --init normal --warmup 0 "
                             "(with the default rate 3.0)")
    parser.add_argument("--data", type=Path, metavar="PATH",
                        help="an mnist.pkl.gz (default: data/mnist.pkl.gz if built by "
                             "'tox -e data', else the bundled 5,000-digit sample)")
    parser.add_argument("--dtype", choices=("float64", "float32"), default="float64",
                        help="float64 (default, as the slides) or float32 (faster)")
    parser.add_argument("--save", type=Path, metavar="PATH",
                        help="save the trained model to PATH (.npz)")
    parser.add_argument("--load", type=Path, metavar="PATH",
                        help="do not train: load the model saved at PATH and evaluate it")
    parser.add_argument("--plot", type=Path, metavar="DIR",
                        help="save the average eight and the learning curves as PNG in "
                             "DIR (needs matplotlib; without it, draw the eight here)")
    parser.add_argument("--package", choices=("solutions", "exercises"), default="solutions",
                        help="whose network classes to build (default solutions); "
                             "exercises implies --engine network")
    parser.add_argument("--engine", choices=("matrix", "network"),
                        help="matrix: kata.matrix's step on the mini-batch matrix (default); "
                             "network: the package's own train_batch")
    parser.add_argument("--train-size", type=positive(int), metavar="N",
                        help="train on the first N training digits only")
    parser.add_argument("--test-size", type=positive(int), metavar="N",
                        help="evaluate on the first N test digits only")
    parser.add_argument("--no-progress", action="store_true",
                        help="no progress bar, even on a terminal")
    args = parser.parse_args(argv)
    if args.slides:
        args.init, args.warmup = "normal", 0
    if args.engine is None:
        args.engine = "network" if args.package == "exercises" else "matrix"
    return args


def run(args):
    """What main does, raising errors instead of turning them into an exit code."""
    started = time.perf_counter()
    dtype = np.dtype(args.dtype)
    if args.load is not None:
        model = models.load(args.load)
        dtype = model.dtype
    # Evaluating a saved model needs no training digits.
    train_size = 0 if args.load is not None else args.train_size
    data = load_data(args.data, dtype, train_size, args.test_size)
    print(f"Data: {data.source}")

    if args.load is not None:
        models.check_fits(model, data.x_test.shape[0], 10)
        net = models.build_network(model, args.package)
        correct = evaluate(net, data, args.engine)
        total = data.x_test.shape[1]
        print(f"Model: {_shown(args.load)}: {'-'.join(map(str, model.sizes))}, "
              f"{model.dtype.name}{model.describe_info()}")
        print(f"Test accuracy: {100 * correct / total:.2f} % ({correct} / {total}); "
              f"{time.perf_counter() - started:.1f} s")
        return 0

    np.random.seed(args.seed)  # the slides' DenseLayer draws from np.random
    net = build_network(args.layers, args.init, dtype, args.package)
    print(f"Network: {'-'.join(map(str, args.layers))}, a sigmoid after each dense "
          f"layer, MSE loss ({args.package})")
    first = "epoch" if args.warmup == 1 else _count(args.warmup, "epoch")
    warmup = f" (warm-up: from 0 over the first {first})" if args.warmup else ""
    print(f"Training: {_count(args.epochs, 'epoch')}, mini-batch {args.batch_size}, rate "
          f"{args.rate:g}{warmup}, init {args.init}, {dtype.name}, seed {args.seed}, "
          f"engine {args.engine}")
    history = train(net, data, args.epochs, args.batch_size, args.rate, args.seed,
                    args.engine, progress=not args.no_progress, warmup=args.warmup)
    last = history.epochs[-1]
    print(f"Test accuracy: {100 * last.accuracy:.2f} % ({last.correct} / {last.total}) "
          f"after {_count(args.epochs, 'epoch')}")
    print(f"Time: {time.perf_counter() - started:.1f} s in all; training and "
          f"evaluation {history.seconds:.1f} s, {history.seconds / args.epochs:.1f} s per epoch")

    if args.save is not None:
        info = dict(epochs=args.epochs, batch_size=args.batch_size, rate=args.rate,
                    warmup=args.warmup, init=args.init, seed=args.seed, data=data.source,
                    test_accuracy=round(last.accuracy, 4))
        saved = models.save(args.save, net, info)
        print(f"Saved the model to {_shown(saved)} (python -m kata.train --load {_shown(saved)})")
    if args.plot is not None:
        from kata import pictures
        for line in pictures.save_all(args.plot, data, history):
            print(line)
    return 0


def main(argv=None):
    args = parse_args(argv)
    try:
        return run(args)
    except (MnistDataError, models.ModelFileError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except NotImplementedError as err:
        print(f"error: {args.package} is not complete yet: {err}. Finish the exercise "
              "(tox -e grade shows what is left), or train --package solutions.",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
