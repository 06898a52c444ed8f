"""MNIST as the slides use it: one-hot labels, (784, 1) columns, (x, y) pairs.

Exercises in this module, in the slides' order:
  1. encode_label(j)
  2. shape_data(data)

``load_data()`` is given: it reads ``mnist.pkl.gz`` (the classic layout) and
shapes the training and test sets with your two functions.
"""
import numpy as np

from kata.mnist import read_mnist_pickle


def encode_label(j):
    """One-hot encode the digit ``j`` (0-9).

    Returns a float column of shape (10, 1): 1.0 in row ``j``, 0.0 elsewhere.
    """
    # TODO: return a (10, 1) float column of zeros with 1.0 in row j.
    raise NotImplementedError("exercise 1: encode_label")


def shape_data(data):
    """Turn ``(images, labels)`` into a list of ``(x, y)`` pairs.

    data: a tuple ``(X, labels)``: X of shape (n, 784), labels of shape (n,).
    Returns a list (not a zip: it must have a length and be read many times)
    of n pairs, in order: x of shape (784, 1), y = encode_label(label), (10, 1).
    """
    # TODO: reshape each image of data[0] to a (784, 1) column, one-hot encode
    #       each label of data[1] with encode_label, and return a list of (x, y) pairs.
    raise NotImplementedError("exercise 2: shape_data")


def load_data(path=None):
    """Read MNIST and return ``(training_data, test_data)`` shaped by shape_data.

    path: a ``mnist.pkl.gz`` in the classic layout. By default
    ``data/mnist.pkl.gz`` (built by ``tox -e data``), else the 5,000-digit
    sample shipped in ``data/``. The validation set is not used here.
    """
    train_data, validation_data, test_data = read_mnist_pickle(path)
    return shape_data(train_data), shape_data(test_data)
