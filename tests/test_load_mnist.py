"""Graded tests for exercises 1-2: encode_label and shape_data."""
import numpy as np
import pytest

import solutions.load_mnist as reference
from checks import expect, has_shape, one_hot, sample_arrays, show
from under_test import load_mnist

encode_label_exercise = pytest.mark.exercise("encode_label")
shape_data_exercise = pytest.mark.exercise("shape_data")


# ---------------------------------------------------------------- 1. encode_label

@encode_label_exercise
def test_encode_label_returns_a_10_by_1_column():
    e = load_mnist.encode_label(3)
    expect(has_shape(e, (10, 1)), "encode_label(3)", show(e),
           "a numpy array of shape (10, 1)",
           "The slides keep every vector as a column: ten rows, one column.")
    expect(isinstance(e, np.ndarray) and np.issubdtype(e.dtype, np.floating),
           "encode_label(3)", show(e), "a float array",
           "The network compares it with float predictions; build it from np.zeros.")


@encode_label_exercise
def test_encode_label_puts_one_at_the_digit():
    for digit in range(10):
        e = load_mnist.encode_label(digit)
        expect(has_shape(e, (10, 1)) and e[digit, 0] == 1.0 and np.sum(e) == 1.0,
               f"encode_label({digit})", show(e),
               f"1.0 in row {digit} (counting from 0), 0.0 in the nine other rows",
               "The label j is the index of the one: digit 0 lights row 0.")


@encode_label_exercise
def test_encode_label_takes_labels_as_numpy_integers():
    # load_data's labels are np.int64, not Python ints.
    e = load_mnist.encode_label(np.int64(7))
    expect(has_shape(e, (10, 1)) and e[7, 0] == 1.0 and np.sum(e) == 1.0,
           "encode_label(np.int64(7))", show(e), "1.0 in row 7, zeros elsewhere",
           "Index with the label as it comes.")


@encode_label_exercise
def test_encode_label_gives_a_new_array_each_call():
    first = load_mnist.encode_label(2)
    second = load_mnist.encode_label(5)
    expect(first is not second and first[2, 0] == 1.0 and first[5, 0] == 0.0,
           "encode_label(2), then encode_label(5)",
           f"first result after the second call: {show(first)}",
           "the first result untouched: 1.0 in row 2 only",
           "Make a fresh array of zeros inside the function, not one shared by all calls.")


# ---------------------------------------------------------------- 2. shape_data

def tiny_data():
    """Three 'images' of 784 pixels with labels 7, 0, 9, as load_data reads them."""
    X = np.stack([np.linspace(0, 1, 784), np.linspace(1, 0, 784),
                  np.full(784, 0.25)]).astype(np.float32)
    labels = np.array([7, 0, 9], dtype=np.int64)
    return X, labels


@pytest.fixture
def reference_encode_label(monkeypatch):
    """shape_data is graded on its own: encode_label is the reference one here."""
    monkeypatch.setattr(load_mnist, "encode_label", reference.encode_label)


@shape_data_exercise
def test_shape_data_returns_a_list_of_pairs(reference_encode_label):
    result = load_mnist.shape_data(tiny_data())
    expect(isinstance(result, list), "shape_data((X, labels)) with 3 images",
           show(result) if not isinstance(result, list) else "a list",
           "a list",
           "In Python 3 zip(...) is a one-time iterator without len(): wrap it in list(...).")
    pairs = list(result) if result is not None else []
    expect(len(pairs) == 3, "shape_data((X, labels)) with 3 images",
           f"{len(pairs)} items", "3 pairs, one per image", "One (x, y) pair per image.")
    expect(all(isinstance(p, tuple) and len(p) == 2 for p in pairs),
           "shape_data((X, labels))", show(pairs[:1]), "(x, y) tuples",
           "Pair each feature column with its label column.")


@shape_data_exercise
def test_shape_data_makes_784_by_1_feature_columns(reference_encode_label):
    X, labels = tiny_data()
    pairs = list(load_mnist.shape_data((X, labels)))
    for i, pair in enumerate(pairs):
        x = pair[0]
        expect(has_shape(x, (784, 1)), "shape_data((X, labels))",
               f"pair {i}: x is {show(x)}", "x of shape (784, 1)",
               "Reshape each row of 784 pixels into a column.")
        expect(has_shape(x, (784, 1)) and np.allclose(x.ravel(), X[i]),
               "shape_data((X, labels))", f"pair {i}: x is {show(x)}",
               f"the pixels of image {i}, in order",
               "Keep the images in their order, and the pixels of each in theirs.")


@shape_data_exercise
def test_shape_data_one_hot_encodes_the_labels(reference_encode_label):
    X, labels = tiny_data()
    pairs = list(load_mnist.shape_data((X, labels)))
    for i, pair in enumerate(pairs):
        y = pair[1] if len(pair) > 1 else None
        expect(has_shape(y, (10, 1)) and np.array_equal(y, one_hot(labels[i])),
               "shape_data((X, labels)) with labels [7, 0, 9]", f"pair {i}: y is {show(y)}",
               f"encode_label({labels[i]}), a (10, 1) column",
               "Each label becomes a one-hot column; the image comes first in the pair.")


@shape_data_exercise
def test_shape_data_can_be_read_twice(reference_encode_label):
    data = load_mnist.shape_data(tiny_data())
    first = sum(1 for _ in data)
    second = sum(1 for _ in data)
    expect(first == second == 3, "shape_data(...), then iterating over the result twice",
           f"{first} pairs the first time, {second} the second", "3 pairs both times",
           "A zip object is empty after one pass; the network reads the data every epoch.")


@shape_data_exercise
def test_shape_data_handles_real_digits(reference_encode_label):
    X, labels = sample_arrays()[2]
    pairs = list(load_mnist.shape_data((X, labels)))
    ok = (len(pairs) == len(labels)
          and all(has_shape(x, (784, 1)) and has_shape(y, (10, 1)) for x, y in pairs))
    expect(ok, f"shape_data(test set of the bundled sample, {len(labels)} digits)",
           f"{len(pairs)} pairs", f"{len(labels)} pairs of (784, 1) and (10, 1)",
           "Every image becomes one pair.")
    if ok:
        got = [int(np.argmax(y)) for _, y in pairs]
        expect(got == [int(j) for j in labels], "shape_data(real digits)",
               "labels in another order", "the labels in the order of the input",
               "Keep image i with label i.")
        expect(np.allclose(pairs[0][0].ravel(), X[0]), "shape_data(real digits)",
               "the first x is not the first image", "the first image as a column",
               "Reshape, do not transpose or reorder.")

