"""Benchmark: ``tox -e bench`` (``python -m kata.bench``). Results: BENCHMARKS.md.

Times, in one run and on the same data and initial weights, one training
step of the slides' network (784-392-196-10, sigmoid, MSE, mini-batch 10)
done by:

- the slides' per-sample loop, as the slides write it (kata/slides.py:
  np.vectorize sigmoid, one forward and backward pass per sample);
- the solutions' own SequentialNetwork.train_batch (the mini-batch's pairs
  stacked into one matrix, then the layers' forward, backward, update), and
  the same layers on a mini-batch taken from prebuilt matrices (no stacking);
- kata.matrix.train_step, what ``tox -e train`` runs, in float64 and float32;
- PyTorch on the CPU, when it is installed: autograd with torch.optim.SGD,
  and a hand-written backward (the operations of kata.matrix, one for one);
- the bare matrix multiplies of one step: a bound for any of them;

and the evaluation of 10,000 test digits one by one and as one matrix.
Times are seconds per epoch of 50,000 samples (5,000 mini-batches of 10).

Each timing is the median over several rounds, the contenders taking turns,
so that a busy moment of the machine does not fall on one of them only.
A benchmark, not a test: the figures depend on the machine and its load.
"""
import argparse
import contextlib
import io
import os
import platform
import statistics
import sys
import time

import numpy as np

from kata import matrix, slides
from kata.mnist import MnistDataError, read_mnist_pickle
from kata.train import build_network, one_hot

SIZES = (784, 392, 196, 10)
BATCH = 10
RATE = 1.0
EPOCH = 50_000
STEPS_PER_EPOCH = EPOCH // BATCH


# ---------------------------------------------------------------------------
# What ran: BLAS, threads, torch
# ---------------------------------------------------------------------------

def blas_lines():
    lines = []
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        lines.append("BLAS: (install threadpoolctl to see which BLAS kernel runs)")
    else:
        for pool in threadpool_info():
            if pool.get("user_api") == "blas":
                lines.append(f"BLAS: {pool.get('internal_api')} {pool.get('version')}, "
                             f"kernel {pool.get('architecture')}, "
                             f"{pool.get('num_threads')} threads ({pool.get('filepath')})")
    coretype = os.environ.get("OPENBLAS_CORETYPE")
    lines.append(f"OPENBLAS_CORETYPE: {coretype if coretype else '(not set)'}"
                 + ("  <- forces an OpenBLAS kernel; on these machines it slows numpy "
                    "by 10-40 %" if coretype else ""))
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        if os.environ.get(name):
            lines.append(f"{name}: {os.environ[name]}")
    return lines


def load_line():
    """The load average, with a warning when other work competes for the CPUs.

    The slides' loop runs on one core; BLAS and PyTorch use them all and
    suffer most when another program is busy, which skews the ratios.
    """
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return "Load average: unknown"
    line = f"Load average (1 min): {load:.2f} on {os.cpu_count()} CPUs"
    if load > 0.5:
        line += ("  <- other work is running: multi-threaded timings suffer most; "
                 "for figures to keep, run again on an idle machine")
    return line


def import_torch():
    try:
        import torch
    except ImportError:
        return None
    return torch


def torch_lines(torch):
    if torch is None:
        return ["PyTorch: not installed (pip install torch adds it to the comparison)"]
    mkl = "MKL" if torch.backends.mkl.is_available() else "no MKL"
    return [f"PyTorch: {torch.__version__}, {torch.get_num_threads()} threads, {mkl}, "
            f"CPU capability {torch.backends.cpu.get_cpu_capability()}"]


# ---------------------------------------------------------------------------
# The contenders. Each is a function step(k) doing the k-th mini-batch.
# ---------------------------------------------------------------------------

def start_weights(seed=0):
    """The initial weights every contender starts from: the defaults' (scaled) init."""
    np.random.seed(seed)
    net = build_network(SIZES, "scaled", np.float64)
    return [(layer.weight.copy(), layer.bias.copy()) for layer in matrix.dense_layers(net)]


def network_with(weights, dtype, package="solutions"):
    net = build_network(SIZES, "scaled", dtype, package)
    for layer, (weight, bias) in zip(matrix.dense_layers(net), weights):
        layer.weight[...] = weight
        layer.bias[...] = bias
    return net


def batches(n):
    return [slice(k, k + BATCH) for k in range(0, n - BATCH + 1, BATCH)]


def slides_step(weights, X, Y):
    net = slides.copy_of([_Params(w, b) for w, b in weights])
    pairs = [(X[:, i:i + 1], Y[:, i:i + 1]) for i in range(X.shape[1])]
    cuts = batches(X.shape[1])
    return lambda k: net.train_batch(pairs[cuts[k % len(cuts)]], RATE)


def solutions_step(weights, X, Y):
    net = network_with(weights, np.float64)
    pairs = [(X[:, i:i + 1], Y[:, i:i + 1]) for i in range(X.shape[1])]
    cuts = batches(X.shape[1])
    return lambda k: net.train_batch(pairs[cuts[k % len(cuts)]], RATE)


def solutions_matrix_step(weights, X, Y):
    """The solutions' layers on a mini-batch gathered from prebuilt matrices:
    forward_backward and update as the solutions write them, minus the stacking."""
    net = network_with(weights, np.float64)
    cuts = batches(X.shape[1])
    index = np.arange(X.shape[1])

    def step(k):
        batch = index[cuts[k % len(cuts)]]
        net.layers[0].input_data = X[:, batch]
        for layer in net.layers:
            layer.forward()
        net.layers[-1].input_delta = net.loss.loss_derivative(
            net.layers[-1].output_data, Y[:, batch])
        for layer in reversed(net.layers):
            layer.backward()
        net.update(batch, RATE)  # update needs only len(mini_batch)
    return step


def matrix_step(weights, X, Y, dtype):
    dense = matrix.dense_layers(network_with(weights, dtype))
    X, Y = X.astype(dtype, order="F"), Y.astype(dtype)
    cuts = batches(X.shape[1])
    # A mini-batch is a gather of columns, as kata.train takes it from a shuffled order.
    index = np.arange(X.shape[1])

    def step(k):
        batch = index[cuts[k % len(cuts)]]
        matrix.train_step(dense, X[:, batch], Y[:, batch], RATE)
    return step


def bare_step(weights, X, Y, dtype):
    """Only the 8 matrix multiplies a step needs: 3 forward, 3 for the weight
    gradients, 2 for the deltas of the layers below. No sigmoid, no update."""
    Ws = [w.astype(dtype) for w, _ in weights]
    X = X.astype(dtype, order="F")
    cuts = batches(X.shape[1])
    index = np.arange(X.shape[1])

    def step(k):
        a = X[:, index[cuts[k % len(cuts)]]]
        inputs = [a]
        for W in Ws:
            inputs.append(np.dot(W, inputs[-1]))
        delta = inputs.pop()
        for i in reversed(range(len(Ws))):
            np.dot(delta, inputs[i].T)
            if i > 0:
                delta = np.dot(Ws[i].T, delta)
    return step


def torch_hand_step(torch, weights, X, Y, dtype):
    """kata.matrix.train_step written with torch tensors, operation for operation."""
    tdtype = torch.float32 if dtype == np.float32 else torch.float64
    Ws = [torch.tensor(w, dtype=tdtype) for w, _ in weights]
    bs = [torch.tensor(b, dtype=tdtype) for _, b in weights]
    rows_x = torch.tensor(np.ascontiguousarray(X.T), dtype=tdtype)
    rows_y = torch.tensor(np.ascontiguousarray(Y.T), dtype=tdtype)
    cuts = batches(X.shape[1])

    def step(k):
        cut = cuts[k % len(cuts)]
        with torch.no_grad():
            inputs = [rows_x[cut].T]
            for W, b in zip(Ws, bs):
                inputs.append(torch.sigmoid(W @ inputs[-1] + b))
            output = inputs.pop()
            error = output - rows_y[cut].T
            delta = error * output * (1 - output)
            rate = RATE / BATCH
            for i in reversed(range(len(Ws))):
                a = inputs[i]
                if i > 0:
                    below = (Ws[i].T @ delta) * a * (1 - a)
                Ws[i] -= (rate * delta) @ a.T
                bs[i] -= rate * delta.sum(dim=1, keepdim=True)
                if i > 0:
                    delta = below
    return step


def torch_autograd_step(torch, weights, X, Y, dtype):
    """The usual PyTorch: nn.Linear and nn.Sigmoid, loss.backward(), optim.SGD."""
    tdtype = torch.float32 if dtype == np.float32 else torch.float64
    layers = []
    for w, b in weights:
        linear = torch.nn.Linear(w.shape[1], w.shape[0], dtype=tdtype)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(w))
            linear.bias.copy_(torch.tensor(b[:, 0]))
        layers += [linear, torch.nn.Sigmoid()]
    model = torch.nn.Sequential(*layers)
    # The slides sum the gradients over the batch and divide the rate by its size.
    optimizer = torch.optim.SGD(model.parameters(), lr=RATE / BATCH)
    rows_x = torch.tensor(np.ascontiguousarray(X.T), dtype=tdtype)
    rows_y = torch.tensor(np.ascontiguousarray(Y.T), dtype=tdtype)
    cuts = batches(X.shape[1])

    def step(k):
        cut = cuts[k % len(cuts)]
        optimizer.zero_grad()
        loss = 0.5 * ((model(rows_x[cut]) - rows_y[cut]) ** 2).sum()
        loss.backward()
        optimizer.step()
    return step


class _Params:
    def __init__(self, weight, bias):
        self.weight, self.bias = weight, bias


# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------

def time_steps(contenders, rounds, steps):
    """Median seconds per step of each contender over `rounds` turns of `steps[name]` steps."""
    times = {name: [] for name in contenders}
    done = {name: 0 for name in contenders}
    for _ in range(rounds):
        for name, step in contenders.items():
            count = steps[name]
            started = time.perf_counter()
            for k in range(done[name], done[name] + count):
                step(k)
            times[name].append((time.perf_counter() - started) / count)
            done[name] += count
    return {name: statistics.median(values) for name, values in times.items()}


def time_call(function, rounds):
    values = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        values.append(time.perf_counter() - started)
    return statistics.median(values)


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------

def run(args, out=print):
    torch = None if args.no_torch else import_torch()
    (x_rows, labels), _, (test_rows, test_labels) = read_mnist_pickle(args.data)
    n = min(args.samples, len(x_rows))
    X = np.asfortranarray(x_rows[:n].T, dtype=np.float64)
    Y = one_hot(labels[:n], np.float64)
    n_slides = min(args.slides_samples, n)

    out(f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"{os.cpu_count()} CPUs ({platform.machine()})")
    out(load_line())
    # numpy's BLAS is loaded once numpy has run a product: run one first.
    np.dot(np.ones((2, 2)), np.ones((2, 2)))
    for line in blas_lines() + torch_lines(torch):
        out(line)
    out(f"Network {'-'.join(map(str, SIZES))}, mini-batch {BATCH}; the same "
        f"{n:,} training digits and initial weights for all; seconds per "
        f"{EPOCH:,}-sample epoch, median of {args.rounds} rounds.")
    out("")

    weights = start_weights()
    with contextlib.redirect_stdout(io.StringIO()):
        contenders = {
            "slides' per-sample loop (np.vectorize), float64": slides_step(
                weights, X[:, :n_slides], Y[:, :n_slides]),
            "solutions train_batch (stacks the pairs), float64": solutions_step(weights, X, Y),
            "solutions layers on a prebuilt matrix, float64": solutions_matrix_step(
                weights, X, Y),
            "kata.matrix (tox -e train), float64": matrix_step(weights, X, Y, np.float64),
            "kata.matrix (tox -e train), float32": matrix_step(weights, X, Y, np.float32),
        }
        if torch is not None:
            for dtype in (np.float64, np.float32):
                name = np.dtype(dtype).name
                contenders[f"PyTorch autograd + optim.SGD, {name}"] = \
                    torch_autograd_step(torch, weights, X, Y, dtype)
                contenders[f"PyTorch hand-written backward, {name}"] = \
                    torch_hand_step(torch, weights, X, Y, dtype)
        contenders["bound: the 8 matrix multiplies alone, float64"] = \
            bare_step(weights, X, Y, np.float64)
        contenders["bound: the 8 matrix multiplies alone, float32"] = \
            bare_step(weights, X, Y, np.float32)
    slow = next(iter(contenders))
    steps = {name: max(1, args.steps // 10) if name == slow else args.steps
             for name in contenders}
    per_step = time_steps(contenders, args.rounds, steps)
    epoch = {name: seconds * STEPS_PER_EPOCH for name, seconds in per_step.items()}

    out("Training, seconds per epoch")
    width = max(map(len, epoch)) + 2
    for name, seconds in epoch.items():
        out(f"  {name:<{width}}{seconds:8.2f}   {epoch[slow] / seconds:6.1f}x the slides' loop")
    out("")

    # Evaluation of the test set.
    m = min(args.eval_samples, len(test_rows))
    Xt = np.asfortranarray(test_rows[:m].T, dtype=np.float64)
    Yt = one_hot(test_labels[:m], np.float64)
    m_slow = min(args.slides_eval_samples, m)
    with contextlib.redirect_stdout(io.StringIO()):
        reference = slides.copy_of([_Params(w, b) for w, b in weights])
        solutions_net = network_with(weights, np.float64)
    pairs = [(Xt[:, i:i + 1], Yt[:, i:i + 1]) for i in range(m)]
    dense64 = matrix.dense_layers(solutions_net)
    dense32 = matrix.dense_layers(network_with(weights, np.float32))
    Xt32 = Xt.astype(np.float32, order="F")
    evaluations = {
        "slides' evaluate, one by one (np.vectorize)":
            time_call(lambda: reference.evaluate(pairs[:m_slow]), 3) * m / m_slow,
        "solutions layers, one by one (numpy sigmoid)":
            time_call(lambda: sum(int(np.argmax(solutions_net.single_forward(x)) ==
                                      np.argmax(y)) for x, y in pairs[:m_slow]), 3) * m / m_slow,
        "solutions evaluate (stacks the pairs, one matrix)":
            time_call(lambda: solutions_net.evaluate(pairs), args.rounds),
        "solutions single_forward on a prebuilt matrix":
            time_call(lambda: int(np.sum(np.argmax(solutions_net.single_forward(Xt), axis=0)
                                         == test_labels[:m])), args.rounds),
        "kata.matrix, one matrix, float64":
            time_call(lambda: matrix.count_correct(dense64, Xt, test_labels[:m]), args.rounds),
        "kata.matrix, one matrix, float32":
            time_call(lambda: matrix.count_correct(dense32, Xt32, test_labels[:m]), args.rounds),
    }
    one_by_one = next(iter(evaluations))
    out(f"Evaluation of {m:,} test digits, seconds (one by one: timed on "
        f"{m_slow:,}, median of 3, scaled)")
    width = max(map(len, evaluations)) + 2
    for name, seconds in evaluations.items():
        out(f"  {name:<{width}}{seconds:8.3f}   {evaluations[one_by_one] / seconds:6.1f}x")
    out("")

    # The ratios the issue asks for.
    f64 = epoch["kata.matrix (tox -e train), float64"]
    f32 = epoch["kata.matrix (tox -e train), float32"]
    bound = epoch["bound: the 8 matrix multiplies alone, float64"]
    out("Ratios")
    out(f"  training, float64: kata.matrix is {epoch[slow] / f64:.1f}x faster than the "
        f"slides' loop (target 20x; the multiplies alone: {epoch[slow] / bound:.1f}x)")
    out(f"  training, float64: solutions train_batch is "
        f"{epoch[slow] / epoch['solutions train_batch (stacks the pairs), float64']:.1f}x "
        "faster than the slides' loop")
    hand = "PyTorch hand-written backward, float32"
    if hand in epoch:
        out(f"  training, float32: kata.matrix takes {f32 / epoch[hand]:.2f} times the time "
            f"of {hand} (target at most 1.00)")
        auto = "PyTorch autograd + optim.SGD, float32"
        out(f"  training, float32: kata.matrix takes {f32 / epoch[auto]:.2f} times the time "
            f"of {auto}")
    matrix64 = evaluations["kata.matrix, one matrix, float64"]
    out(f"  evaluation of {m:,}: one matrix is {evaluations[one_by_one] / matrix64:.1f}x faster "
        "than the slides' one by one (target 30x)")
    return epoch, evaluations


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m kata.bench",
        description="Time the slides' loop, the solutions, kata.matrix and PyTorch on one "
                    "training step of the slides' network (see BENCHMARKS.md).")
    parser.add_argument("--data", help="an mnist.pkl.gz (default: full MNIST if built, "
                                       "else the bundled sample)")
    parser.add_argument("--samples", type=int, default=4000,
                        help="training digits the fast contenders cycle through (default 4000)")
    parser.add_argument("--slides-samples", type=int, default=1000,
                        help="training digits the slides' loop cycles through (default 1000)")
    parser.add_argument("--steps", type=int, default=200,
                        help="mini-batches per contender and round (default 200; "
                             "the slides' loop does a tenth)")
    parser.add_argument("--rounds", type=int, default=9, help="rounds (default 9)")
    parser.add_argument("--eval-samples", type=int, default=10_000,
                        help="test digits to evaluate (default 10,000)")
    parser.add_argument("--slides-eval-samples", type=int, default=1000,
                        help="test digits evaluated one by one, then scaled (default 1000)")
    parser.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    args = parser.parse_args(argv)
    try:
        run(args)
    except MnistDataError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
