"""Graded tests for exercise 9: SequentialNetwork.train.

train is graded on its own: the networks here are built from the reference
layers and loss (solutions/), so only your train method is under test.
"""
import random
import re

import numpy as np
import pytest

import solutions.layers as ref_layers
import solutions.losses as ref_losses
from checks import column, expect, one_hot, sample_pairs, show
from under_test import network

train_exercise = pytest.mark.exercise("SequentialNetwork.train")

PROGRESS = re.compile(r"^Epoch (\d+): (\d+) / (\d+)$")
COMPLETE = re.compile(r"^Epoch (\d+) complete$")


def seed(n):
    random.seed(n)
    np.random.seed(n)


def tiny_network():
    net = network.SequentialNetwork(loss=ref_losses.MSE())
    net.add(ref_layers.DenseLayer(2, 2))
    net.add(ref_layers.ActivationLayer(2))
    return net


def numbered_pairs(n):
    """n samples whose first pixel is their number, so a test can follow each one."""
    return [(column(float(i), 1.0), one_hot(i % 2)[:2]) for i in range(n)]


def number_of(pair):
    return int(round(float(pair[0][0, 0])))


def spy_on_batches(net, monkeypatch):
    """Record every call of net.train_batch, then let it train as usual."""
    calls = []
    original = net.train_batch

    def train_batch(mini_batch, learning_rate):
        calls.append(([number_of(pair) for pair in mini_batch], learning_rate))
        return original(mini_batch, learning_rate)

    monkeypatch.setattr(net, "train_batch", train_batch)
    return calls


@train_exercise
def test_train_uses_every_sample_once_per_epoch(monkeypatch, capsys):
    seed(1)
    net = tiny_network()
    calls = spy_on_batches(net, monkeypatch)
    net.train(numbered_pairs(23), epochs=2, mini_batch_size=5, learning_rate=0.5)
    call = "net.train(23 samples, epochs=2, mini_batch_size=5, learning_rate=0.5)"
    sizes = [len(batch) for batch, _ in calls]
    expect(sizes == [5, 5, 5, 5, 3] * 2, call, f"train_batch called with mini-batches of sizes {sizes}",
           "per epoch, mini-batches of sizes [5, 5, 5, 5, 3]",
           "Cut the data with range(0, n, mini_batch_size): the last, smaller batch counts too; "
           "and run every epoch.")
    for epoch in range(2):
        seen = sorted(i for batch, _ in calls[5 * epoch:5 * epoch + 5] for i in batch)
        expect(seen == list(range(23)), call, f"epoch {epoch} trained on samples {seen}",
               "each of the 23 samples exactly once", "Every epoch goes once through all the data.")
    rates = sorted({rate for _, rate in calls})
    expect(rates == [0.5], call, f"train_batch called with learning rates {rates}", "[0.5]",
           "Hand learning_rate to train_batch as it is: update already divides it by the batch size.")


@train_exercise
def test_train_shuffles_the_data_every_epoch(monkeypatch, capsys):
    seed(2)
    net = tiny_network()
    calls = spy_on_batches(net, monkeypatch)
    net.train(numbered_pairs(30), epochs=2, mini_batch_size=10, learning_rate=0.1)
    orders = [[i for batch, _ in calls[3 * e:3 * e + 3] for i in batch] for e in range(2)]
    call = "net.train(30 samples numbered 0-29, epochs=2, mini_batch_size=10, ...)"
    expect(len(orders[0]) == 30 and orders[0] != list(range(30)), call,
           f"epoch 0 saw the samples in the order {orders[0]}", "a shuffled order",
           "Shuffle the training data at the start of each epoch (random.shuffle).")
    expect(len(orders[1]) == 30 and orders[0] != orders[1], call,
           "both epochs saw the samples in the same order", "a new order each epoch",
           "Shuffle inside the epoch loop, not once before it.")


@train_exercise
def test_train_reports_each_epoch_on_the_test_data(capsys):
    seed(3)
    net = tiny_network()
    test_data = numbered_pairs(7)
    capsys.readouterr()
    net.train(numbered_pairs(20), epochs=3, mini_batch_size=4, learning_rate=0.5, test_data=test_data)
    lines = [line.strip() for line in capsys.readouterr().out.splitlines() if line.strip()]
    progress = [PROGRESS.match(line) for line in lines]
    call = "net.train(..., epochs=3, test_data=7 samples)"
    expect(len(lines) == 3 and all(progress), call, f"printed {lines}",
           "3 lines like 'Epoch 0: 5 / 7'",
           "After each epoch print 'Epoch {epoch}: {net.evaluate(test_data)} / {len(test_data)}'.")
    if len(lines) == 3 and all(progress):
        epochs = [int(m.group(1)) for m in progress]
        expect(epochs in ([0, 1, 2], [1, 2, 3]), call, f"epoch numbers {epochs}", "[0, 1, 2]",
               "Number the epochs in order, one line each.")
        expect(all(int(m.group(3)) == 7 for m in progress), call, f"printed {lines}",
               "'/ 7' on each line", "The total is the number of test samples.")
        final = net.evaluate(test_data)
        expect(int(progress[-1].group(2)) == final, call, f"last line {lines[-1]!r}",
               f"{final} correct, as net.evaluate(test_data) says after training",
               "Print what self.evaluate(test_data) returns after the epoch's training.")


@train_exercise
def test_train_counts_after_each_epochs_training(monkeypatch, capsys):
    seed(6)
    net = tiny_network()
    events = []
    train_batch, evaluate = net.train_batch, net.evaluate

    def spy_train_batch(mini_batch, learning_rate):
        events.append("train_batch")
        return train_batch(mini_batch, learning_rate)

    def spy_evaluate(test_data):
        events.append("evaluate")
        return evaluate(test_data)

    monkeypatch.setattr(net, "train_batch", spy_train_batch)
    monkeypatch.setattr(net, "evaluate", spy_evaluate)
    net.train(numbered_pairs(9), epochs=2, mini_batch_size=3, learning_rate=0.5,
              test_data=numbered_pairs(4))
    epoch = ["train_batch"] * 3 + ["evaluate"]
    expect(events == epoch * 2, "net.train(9 samples, epochs=2, mini_batch_size=3, test_data=...)",
           f"calls in the order {events}", f"{epoch} twice",
           "Count the right answers after the epoch's mini-batches, once per epoch.")


@train_exercise
def test_train_says_each_epoch_is_complete_without_test_data(capsys):
    seed(4)
    net = tiny_network()
    capsys.readouterr()
    net.train(numbered_pairs(12), epochs=2, mini_batch_size=5, learning_rate=0.5)
    lines = [line.strip() for line in capsys.readouterr().out.splitlines() if line.strip()]
    call = "net.train(..., epochs=2) without test_data"
    expect(len(lines) == 2 and all(COMPLETE.match(line) for line in lines), call,
           f"printed {lines}", "['Epoch 0 complete', 'Epoch 1 complete']",
           "Without test data there is nothing to count: say the epoch is complete.")


@train_exercise
def test_train_learns_real_digits(capsys):
    seed(5)
    training_data = sample_pairs(split=0, count=2000)
    test_data = sample_pairs(split=2)
    net = network.SequentialNetwork(loss=ref_losses.MSE())
    net.add(ref_layers.DenseLayer(784, 30))
    net.add(ref_layers.ActivationLayer(30))
    net.add(ref_layers.DenseLayer(30, 10))
    net.add(ref_layers.ActivationLayer(10))
    before = net.evaluate(test_data)
    net.train(training_data, epochs=3, mini_batch_size=10, learning_rate=1.0)
    after = net.evaluate(test_data)
    n = len(test_data)
    expect(after >= 0.75 * n, "net.train(2,000 real digits, epochs=3, mini_batch_size=10, "
           "learning_rate=1.0), then net.evaluate(500 test digits)",
           f"{after} / {n} right (before training: {before} / {n})", f"at least {int(0.75 * n)} / {n}",
           "Each mini-batch must go through self.train_batch(mini_batch, learning_rate).")
