"""Tests of kata.matrix, kata.train, kata.models, kata.pictures and kata.bench.

The bundled sample is enough for all but the test marked ``full``, which
trains the defaults on full MNIST (pytest --full). No test is timed: speed
is measured by ``python -m kata.bench`` (BENCHMARKS.md).
"""
import argparse
import contextlib
import io
import re
import zipfile

import numpy as np
import pytest

from kata import bench, matrix, models, pictures, slides, train
from kata.mnist import FULL_PATH, SAMPLE_PATH, read_mnist_pickle

EPOCH_LINE = re.compile(r"^Epoch (\d+): (\d+) / (\d+)\b")


@pytest.fixture(scope="module")
def sample():
    """The bundled sample as float64 matrices: x (784, n), y (10, n), labels."""
    (x_rows, labels), _, (test_rows, test_labels) = read_mnist_pickle(SAMPLE_PATH)
    return (np.asfortranarray(x_rows.T, dtype=np.float64), train.one_hot(labels, np.float64),
            labels, np.asfortranarray(test_rows.T, dtype=np.float64), test_labels)


def quiet_network(sizes, init="scaled", dtype=np.float64, seed=0, package="solutions"):
    np.random.seed(seed)
    return train.build_network(sizes, init, dtype, package)


def pairs_of(x, y):
    return [(x[:, i:i + 1], y[:, i:i + 1]) for i in range(x.shape[1])]


def assert_same_parameters(dense, reference, tol=1e-10):
    for i, (layer, ref) in enumerate(zip(dense, reference)):
        assert layer.weight.shape == ref.weight.shape
        np.testing.assert_allclose(layer.weight, ref.weight, rtol=0, atol=tol,
                                   err_msg=f"weight of dense layer {i}")
        np.testing.assert_allclose(layer.bias, ref.bias, rtol=0, atol=tol,
                                   err_msg=f"bias of dense layer {i}")


# ---------------------------------------------------------------------------
# The matrix step does the arithmetic of the slides' per-sample loop
# ---------------------------------------------------------------------------

def test_sigmoid_is_the_slides_sigmoid_without_overflow():
    z = np.linspace(-30, 30, 601).reshape(-1, 1)
    expected = 1.0 / (1.0 + np.exp(-z))
    np.testing.assert_allclose(matrix.sigmoid(z), expected, rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(matrix.sigmoid_in_place(z.copy()), expected, rtol=1e-14,
                               atol=1e-16)
    with np.errstate(all="raise"):
        assert matrix.sigmoid(np.array([-1000.0, 1000.0])).tolist() == [0.0, 1.0]


@pytest.mark.parametrize("init, rate", [("scaled", 1.0), ("normal", 3.0)])
def test_matrix_step_equals_the_slides_per_sample_loop(sample, init, rate):
    x, y, _, _, _ = sample
    net = quiet_network(train.SLIDES_LAYERS, init)
    dense = matrix.dense_layers(net)
    reference = slides.copy_of(dense)  # the slides' code, starting from the same weights
    pairs = pairs_of(x, y)
    # Several mini-batches of 10, then a smaller last one, in a shuffled order.
    order = np.random.default_rng(1).permutation(x.shape[1])[:65]
    for k in range(0, len(order), 10):
        batch = order[k:k + 10]
        mini_batch = [pairs[i] for i in batch]
        loss = matrix.train_step(dense, x[:, batch], y[:, batch], rate)
        expected_loss = sum(
            slides.MSE.loss_function(reference.single_forward(px), py) for px, py in mini_batch)
        reference.train_batch(mini_batch, rate)
        assert loss == pytest.approx(expected_loss, rel=1e-10, abs=1e-12)
    assert_same_parameters(dense, reference.layers[0::2])


def test_solutions_train_batch_equals_the_slides_per_sample_loop(sample):
    x, y, _, _, _ = sample
    net = quiet_network(train.SLIDES_LAYERS, "normal")
    reference = slides.copy_of(matrix.dense_layers(net))
    pairs = pairs_of(x, y)
    for k in range(0, 45, 10):
        net.train_batch(pairs[k:k + 10], 3.0)
        reference.train_batch(pairs[k:k + 10], 3.0)
    assert_same_parameters(matrix.dense_layers(net), reference.layers[0::2])


def test_count_correct_equals_the_slides_evaluate(sample):
    _, _, _, x_test, labels = sample
    net = quiet_network((784, 30, 10))
    dense = matrix.dense_layers(net)
    for layer in dense:  # make it guess better than chance
        layer.weight *= 3
    reference = slides.copy_of(dense)
    test_pairs = pairs_of(x_test[:, :200], train.one_hot(labels[:200], np.float64))
    assert matrix.count_correct(dense, x_test[:, :200], labels[:200]) == \
        reference.evaluate(test_pairs) == net.evaluate(test_pairs)


def test_matrix_forward_equals_the_networks_single_forward(sample):
    _, _, _, x_test, _ = sample
    net = quiet_network((784, 40, 20, 10), "normal")
    np.testing.assert_allclose(matrix.forward(matrix.dense_layers(net), x_test[:, :50]),
                               net.single_forward(x_test[:, :50]), rtol=1e-12, atol=1e-14)


def test_float32_training_stays_in_float32(sample):
    x, y, _, _, _ = sample
    net = quiet_network((784, 30, 10), dtype=np.float32)
    dense = matrix.dense_layers(net)
    x32, y32 = x[:, :20].astype(np.float32), y[:, :20].astype(np.float32)
    matrix.train_step(dense, x32, y32, 1.0)
    assert all(layer.weight.dtype == np.float32 and layer.bias.dtype == np.float32
               for layer in dense)
    assert matrix.forward(dense, x32).dtype == np.float32


def test_dense_layers_refuses_other_shapes_of_network():
    net = quiet_network((784, 30, 10))
    net.layers.pop()  # no sigmoid after the last dense layer
    with pytest.raises(ValueError, match="slides' shape"):
        matrix.dense_layers(net)


def test_both_engines_train_the_same_network(sample):
    x, y, labels, x_test, test_labels = sample
    data = train.Data(x_train=x[:, :120], y_train=y[:, :120], labels_train=labels[:120],
                      x_test=x_test[:, :50], labels_test=test_labels[:50], source="test data")
    results = {}
    for engine in ("matrix", "network"):
        net = quiet_network((784, 30, 10), seed=4)
        history = train.train(net, data, epochs=2, batch_size=7, learning_rate=2.0, seed=5,
                              engine=engine, report=lambda line: None, progress=False)
        results[engine] = (net, history)
    (net_m, hist_m), (net_n, hist_n) = results["matrix"], results["network"]
    assert_same_parameters(matrix.dense_layers(net_m), matrix.dense_layers(net_n))
    assert [e.correct for e in hist_m.epochs] == [e.correct for e in hist_n.epochs]
    assert [e.loss for e in hist_m.epochs] == pytest.approx([e.loss for e in hist_n.epochs],
                                                            rel=1e-10)


# ---------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------

def run_cli(args, capsys):
    code = train.main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


SMALL = ["--data", SAMPLE_PATH, "--train-size", 400, "--test-size", 100,
         "--layers", "784,20,10", "--no-progress"]


def test_cli_trains_prints_each_epoch_and_saves_a_model(tmp_path, capsys):
    code, out, err = run_cli(SMALL + ["--epochs", 3, "--save", tmp_path / "model"], capsys)
    assert code == 0, err
    epochs = [EPOCH_LINE.match(line) for line in out.splitlines() if EPOCH_LINE.match(line)]
    assert [int(m.group(1)) for m in epochs] == [0, 1, 2]
    assert all(int(m.group(3)) == 100 for m in epochs)
    assert "400 training and 100 test digits" in out
    assert re.search(r"^Test accuracy: [\d.]+ % \(\d+ / 100\) after 3 epochs$", out, re.M)
    assert re.search(r"^Time: [\d.]+ s in all", out, re.M)
    saved = tmp_path / "model.npz"
    assert saved.is_file()
    assert err == ""  # no progress bar outside a terminal, no notice with --data

    code, out2, err = run_cli(["--load", saved, "--data", SAMPLE_PATH, "--test-size", 100],
                              capsys)
    assert code == 0, err
    last = epochs[-1]
    assert f"({last.group(2)} / 100)" in out2
    assert "784-20-10, float64" in out2


def test_cli_falls_back_on_the_bundled_sample(tmp_path, monkeypatch, capsys):
    import kata.mnist
    missing = tmp_path / "mnist.pkl.gz"
    monkeypatch.setattr(kata.mnist, "FULL_PATH", missing)
    monkeypatch.setattr(train, "FULL_PATH", missing)
    code, out, err = run_cli(["--train-size", 50, "--test-size", 20, "--epochs", 1,
                              "--layers", "784,10,10", "--no-progress"], capsys)
    assert code == 0, err
    assert "mnist-sample.pkl.gz (the bundled sample): 50 training and 20 test" in out


def test_cli_network_engine_and_float32(capsys):
    code, out, err = run_cli(SMALL + ["--epochs", 1, "--engine", "network",
                                      "--dtype", "float32"], capsys)
    assert code == 0, err
    assert "float32" in out and "engine network" in out
    assert any(EPOCH_LINE.match(line) for line in out.splitlines())


def test_cli_says_when_a_package_is_not_finished(monkeypatch, capsys):
    import solutions.network

    def stub(self, mini_batch, learning_rate):
        raise NotImplementedError("exercise 9: SequentialNetwork.train")
    monkeypatch.setattr(solutions.network.SequentialNetwork, "train_batch", stub)
    code, _, err = run_cli(SMALL + ["--epochs", 1, "--engine", "network"], capsys)
    assert code == 1
    assert "not complete yet" in err and "exercise 9" in err


def test_cli_reports_a_bad_model_file(tmp_path, capsys):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip file")
    code, _, err = run_cli(["--load", bad, "--data", SAMPLE_PATH], capsys)
    assert code == 1
    assert "bad.npz" in err and "not a readable .npz" in err


@pytest.mark.parametrize("bad", [["--layers", "784,10,3"], ["--layers", "784"],
                                 ["--rate", "0"], ["--epochs", "-1"], ["--dtype", "float16"]])
def test_cli_refuses_bad_arguments(bad, capsys):
    with pytest.raises(SystemExit) as exit_info:
        train.parse_args(bad)
    assert exit_info.value.code == 2


def test_slides_flag_gives_the_slides_literal_settings():
    args = train.parse_args(["--slides"])
    assert (args.init, args.rate, args.warmup, args.batch_size, args.layers) == \
        ("normal", 3.0, 0, 10, (784, 392, 196, 10))
    defaults = train.parse_args([])
    assert (defaults.init, defaults.rate, defaults.warmup) == ("scaled", 3.0, 1)


def test_the_rate_warms_up_linearly_then_stays():
    n = 1000
    rates = [train.warmed_up_rate(3.0, 1, seen, n) for seen in (10, 500, 1000, 1010, 5000)]
    assert rates == pytest.approx([0.03, 1.5, 3.0, 3.0, 3.0])
    assert train.warmed_up_rate(3.0, 2, 1000, n) == pytest.approx(1.5)
    assert train.warmed_up_rate(3.0, 0, 10, n) == 3.0


def test_exercises_default_to_their_own_train_batch():
    assert train.parse_args(["--package", "exercises"]).engine == "network"
    assert train.parse_args([]).engine == "matrix"


def test_progress_bar_writes_nothing_outside_a_terminal():
    stream = io.StringIO()
    bar = train.Progress("epoch 0", 100, stream)
    for done in range(0, 101, 10):
        bar.update(done)
    bar.close()
    assert stream.getvalue() == ""


# ---------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------

def test_model_round_trip(tmp_path, sample):
    _, _, _, x_test, labels = sample
    net = quiet_network((784, 30, 20, 10), dtype=np.float32)
    path = models.save(tmp_path / "m.npz", net, {"epochs": 3, "rate": 1.0})
    model = models.load(path)
    assert model.sizes == [784, 30, 20, 10]
    assert model.dtype == np.float32
    assert model.info == {"epochs": 3, "rate": 1.0}
    loaded = models.build_network(model)
    for original, copy in zip(matrix.dense_layers(net), matrix.dense_layers(loaded)):
        assert copy.weight.dtype == np.float32
        np.testing.assert_array_equal(copy.weight, original.weight)
        np.testing.assert_array_equal(copy.bias, original.bias)
        assert copy.params[0] is copy.weight  # still the live arrays
    x32 = x_test[:, :100].astype(np.float32)
    np.testing.assert_array_equal(matrix.forward(matrix.dense_layers(loaded), x32),
                                  matrix.forward(matrix.dense_layers(net), x32))


def good_arrays():
    rng = np.random.default_rng(0)
    return {"format": np.array(models.FORMAT), "sizes": np.array([784, 5, 10]),
            "dtype": np.array("float64"), "weight_0": rng.normal(size=(5, 784)),
            "bias_0": rng.normal(size=(5, 1)), "weight_1": rng.normal(size=(10, 5)),
            "bias_1": rng.normal(size=(10, 1))}


def spoil(arrays, **changes):
    arrays = dict(arrays)
    for key, value in changes.items():
        if value is None:
            del arrays[key]
        else:
            arrays[key] = value
    return arrays


@pytest.mark.parametrize("changes, message", [
    ({"weight_1": None}, "'weight_1' is missing"),
    ({"bias_0": np.zeros((5,))}, "'bias_0' has shape (5,)"),
    ({"weight_0": np.zeros((5, 784), dtype=np.float32)}, "'weight_0' is float32"),
    ({"bias_1": np.full((10, 1), np.nan)}, "NaN or infinite"),
    ({"format": np.array("something/2")}, "format 'something/2'"),
    ({"sizes": None}, "no 'sizes'"),
    ({"dtype": np.array("int8")}, "dtype 'int8'"),
    ({"weight_2": np.zeros((3, 10))}, "unexpected arrays ['weight_2']"),
    ({"info": np.array("{not json")}, "not valid JSON"),
])
def test_load_says_what_is_wrong_with_a_model_file(tmp_path, changes, message):
    path = tmp_path / "m.npz"
    np.savez(path, **spoil(good_arrays(), **changes))
    with pytest.raises(models.ModelFileError) as error:
        models.load(path)
    assert message in str(error.value)
    assert str(path) in str(error.value)


def test_load_refuses_pickled_objects(tmp_path):
    path = tmp_path / "m.npz"
    np.savez(path, **spoil(good_arrays(), info=np.array([{"a": 1}], dtype=object)))
    with pytest.raises(models.ModelFileError, match="pickled Python objects"):
        models.load(path)


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 truncated", b"hello"])
def test_load_refuses_files_that_are_not_npz(tmp_path, content):
    path = tmp_path / "m.npz"
    path.write_bytes(content)
    with pytest.raises(models.ModelFileError, match="not a readable .npz"):
        models.load(path)


def test_load_of_a_missing_file(tmp_path):
    with pytest.raises(models.ModelFileError, match="no such file"):
        models.load(tmp_path / "nothing.npz")


def test_check_fits_refuses_a_model_for_other_data(tmp_path):
    path = tmp_path / "m.npz"
    np.savez(path, **good_arrays())
    model = models.load(path)
    models.check_fits(model)
    with pytest.raises(models.ModelFileError, match="maps 784 inputs"):
        models.check_fits(model, n_inputs=100)


def test_save_writes_plain_arrays_only(tmp_path):
    path = models.save(tmp_path / "m", quiet_network((784, 5, 10)))
    assert path.name == "m.npz"
    with zipfile.ZipFile(path) as archive:
        names = sorted(archive.namelist())
    assert names == sorted(f"{key}.npy" for key in
                           ["format", "sizes", "dtype", "activation", "loss", "info",
                            "weight_0", "bias_0", "weight_1", "bias_1"])
    assert not list(tmp_path.glob(".*.tmp"))


# ---------------------------------------------------------------------------
# Pictures
# ---------------------------------------------------------------------------

def test_average_digit_and_its_drawing(sample):
    x, _, labels, _, _ = sample
    eight = pictures.average_digit(x.T, labels, 8)
    assert eight.shape == (28, 28)
    np.testing.assert_allclose(eight.ravel(), x[:, labels == 8].mean(axis=1))
    drawing = pictures.draw_digit(eight).splitlines()
    assert len(drawing) == 28 and all(len(line) == 56 for line in drawing)
    assert set("".join(drawing)) <= set(pictures.SHADES)
    assert drawing[0].strip() == ""  # paper at the top, ink in the middle
    assert pictures.SHADES[-1] in "".join(drawing[10:18])
    with pytest.raises(ValueError, match="no sample is labelled 8"):
        pictures.average_digit(x.T[:5], np.zeros(5, dtype=int), 8)


def a_history():
    history = train.History()
    for number, (correct, loss) in enumerate([(80, 0.2), (90, 0.1)]):
        history.epochs.append(train.Epoch(number, correct, 100, loss, 0.1))
    return history


def small_data(sample):
    x, y, labels, x_test, test_labels = sample
    return train.Data(x_train=x[:, :300], y_train=y[:, :300], labels_train=labels[:300],
                      x_test=x_test, labels_test=test_labels, source="test data")


def test_pictures_without_matplotlib_draw_the_eight(tmp_path, monkeypatch, sample):
    monkeypatch.setattr(pictures, "have_matplotlib", lambda: False)
    lines = pictures.save_all(tmp_path / "plots", small_data(sample), a_history())
    assert "matplotlib is not installed" in lines[0]
    assert len(lines[1].splitlines()) == 28
    assert not (tmp_path / "plots").exists()


def test_pictures_with_matplotlib_are_png_files(tmp_path, sample):
    pytest.importorskip("matplotlib")
    lines = pictures.save_all(tmp_path / "plots", small_data(sample), a_history())
    for name in ("average-8.png", "learning-curves.png"):
        path = tmp_path / "plots" / name
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert any(str(path) in line for line in lines)


def test_pictures_cli_draws_in_the_terminal(capsys, monkeypatch):
    monkeypatch.setattr(pictures, "have_matplotlib", lambda: False)
    assert pictures.main(["--data", str(SAMPLE_PATH), "--digit", "3"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 28


# ---------------------------------------------------------------------------
# The benchmark runs (a smoke test: it times nothing worth reading)
# ---------------------------------------------------------------------------

def test_bench_runs_and_prints_the_ratios():
    args = argparse.Namespace(
        data=str(SAMPLE_PATH), samples=40, slides_samples=20, steps=2, rounds=1,
        eval_samples=30, slides_eval_samples=10, no_torch=True)
    lines = []
    with contextlib.redirect_stdout(io.StringIO()):
        epoch, evaluations = bench.run(args, out=lines.append)
    text = "\n".join(lines)
    assert "BLAS" in text and "OPENBLAS_CORETYPE" in text
    assert "Ratios" in text and "target 20x" in text and "target 30x" in text
    assert all(seconds > 0 for seconds in epoch.values())
    assert len(evaluations) == 6


# ---------------------------------------------------------------------------
# Full MNIST: the defaults reach 97.5 % (pytest --full; about a minute or two)
# ---------------------------------------------------------------------------

@pytest.mark.full
def test_the_defaults_reach_97_5_percent_on_full_mnist():
    if not FULL_PATH.exists():
        pytest.skip("data/mnist.pkl.gz is not built (tox -e data)")
    data = train.load_data(FULL_PATH)
    np.random.seed(train.DEFAULT_SEED)
    net = train.build_network(train.SLIDES_LAYERS)
    history = train.train(net, data, report=lambda line: None, progress=False)
    assert history.epochs[-1].accuracy >= 0.975, [epoch.line() for epoch in history.epochs]
