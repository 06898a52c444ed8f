"""What the graded tests share: tolerances, check messages, small data.

A failing check says what was called, what came back, what was expected, and
gives a hint. pytest-check records it and goes on, so you see every failing
check of a test at once.
"""
import numpy as np
from pytest_check import check

from kata.mnist import SAMPLE_PATH, read_mnist_pickle

# Tolerances, named once.
ATOL = 1e-9            # values worked out by hand
RTOL = 1e-7
GRAD_RTOL = 1e-5       # central differences against backpropagation
GRAD_ATOL = 1e-8
FD_STEP = 1e-6         # the step of a central difference

def show(value):
    """A short description of a value for a check message."""
    if isinstance(value, np.ndarray):
        if value.size <= 12:
            body = np.array2string(value.ravel(), precision=6, separator=", ")
            return f"array of shape {value.shape}, dtype {value.dtype}: {body}"
        return f"array of shape {value.shape}, dtype {value.dtype}"
    if isinstance(value, (list, tuple)) and len(value) > 6:
        return f"{type(value).__name__} of length {len(value)}"
    text = repr(value)
    return text if len(text) < 200 else text[:200] + "..."


def expect(ok, called, got, expected, hint):
    """One check: record a failure with a teaching message, and go on."""
    message = (
        f"\n    called:   {called}"
        f"\n    returned: {got}"
        f"\n    expected: {expected}"
        f"\n    hint:     {hint}"
    )
    check.is_true(bool(ok), message)
    return bool(ok)


def has_shape(value, shape):
    return isinstance(value, np.ndarray) and value.shape == shape


def close(a, b, rtol=RTOL, atol=ATOL):
    try:
        return np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=rtol, atol=atol)
    except TypeError:
        return False


def column(*values):
    """A float column vector of shape (len(values), 1)."""
    return np.array(values, dtype=float).reshape(-1, 1)


def one_hot(digit):
    """A one-hot label column (10, 1), made here so tests need no exercise."""
    e = np.zeros((10, 1))
    e[digit] = 1.0
    return e


def sample_arrays():
    """The bundled real digits: ((X, y) train, (X, y) validation, (X, y) test).

    Read with the kata's data module, so that the tests need none of the
    exercises to get data.
    """
    return read_mnist_pickle(SAMPLE_PATH)


def sample_pairs(split=0, count=None):
    """(x (784, 1), y (10, 1)) pairs of the bundled sample, made without exercises."""
    X, labels = sample_arrays()[split]
    if count is not None:
        X, labels = X[:count], labels[:count]
    return [(x.reshape(784, 1).astype(float), one_hot(j)) for x, j in zip(X, labels)]
