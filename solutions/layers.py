"""The layers of a feed-forward network, as the slides build them.

Exercises in this module, in the slides' order:
  7. Layer.connect(layer)
  8. DenseLayer.backward()

Shapes: data flows as columns. One sample is a column of shape (dim, 1);
a mini-batch of n samples is a matrix of shape (dim, n), one column per
sample, and every layer computes the same arithmetic on it.
"""
import numpy as np


def sigmoid_double(x):
    """sigma(x) = 1 / (1 + e^-x), for a number or, elementwise, an array.

    Written so that e^-x never overflows: for x < 0 it uses the equal form
    e^x / (1 + e^x).
    """
    e = np.exp(-np.abs(x))
    return np.where(np.asarray(x) >= 0, 1.0 / (1.0 + e), e / (1.0 + e))[()]


def sigmoid(z):
    """Elementwise sigmoid of an array of any shape (numpy, not np.vectorize)."""
    return sigmoid_double(z)


def sigmoid_prime_double(x):
    """sigma'(x) = sigma(x) * (1 - sigma(x))."""
    s = sigmoid_double(x)
    return s * (1 - s)


def sigmoid_prime(x):
    """Elementwise derivative of the sigmoid, for an array of any shape."""
    return sigmoid_prime_double(x)


class Layer:
    """A layer of a sequential network: data goes forward, deltas backward."""

    def __init__(self):
        self.params = []

        self.previous = None  # the layer before this one
        self.next = None      # the layer after this one

        self.input_data = None   # set on the first layer only
        self.output_data = None

        self.input_delta = None  # set on the last layer only
        self.output_delta = None

    def connect(self, layer):
        """Make ``layer`` the predecessor of this layer (and this its successor)."""
        self.previous = layer
        layer.next = self

    def forward(self):
        raise NotImplementedError

    def get_forward_input(self):
        if self.previous is not None:
            return self.previous.output_data
        else:
            return self.input_data

    def backward(self):
        raise NotImplementedError

    def get_backward_input(self):
        if self.next is not None:
            return self.next.output_delta
        else:
            return self.input_delta

    def clear_deltas(self):
        pass

    def update_params(self, learning_rate):
        pass

    def describe(self):
        raise NotImplementedError


class ActivationLayer(Layer):
    """Applies the sigmoid to every entry; input and output have one size."""

    def __init__(self, input_dim):
        super(ActivationLayer, self).__init__()
        self.input_dim = input_dim
        self.output_dim = input_dim

    def forward(self):
        data = self.get_forward_input()
        self.output_data = sigmoid(data)

    def backward(self):
        delta = self.get_backward_input()
        data = self.get_forward_input()
        self.output_delta = delta * sigmoid_prime(data)

    def describe(self):
        print("|-- " + self.__class__.__name__)
        print("  |-- dimensions: ({},{})".format(self.input_dim, self.output_dim))


class DenseLayer(Layer):
    """The affine map W x + b, with W of shape (output_dim, input_dim).

    init: "scaled" draws W from N(0, 1/input_dim), which keeps sigmoids out
    of saturation and learns fast; "normal" is the slides' N(0, 1), which
    learns slowly (45-90% on MNIST after 10 epochs, by seed). The bias is N(0, 1).
    dtype: np.float64 (default) or np.float32 (about twice as fast).
    """

    def __init__(self, input_dim, output_dim, init="scaled", dtype=np.float64):
        super(DenseLayer, self).__init__()

        self.input_dim = input_dim
        self.output_dim = output_dim

        if init not in ("scaled", "normal"):
            raise ValueError(f"DenseLayer: init must be 'scaled' or 'normal', not {init!r}")
        scale = 1.0 / np.sqrt(input_dim) if init == "scaled" else 1.0
        self.weight = (scale * np.random.randn(output_dim, input_dim)).astype(dtype)
        self.bias = np.random.randn(output_dim, 1).astype(dtype)

        self.params = [self.weight, self.bias]

        self.delta_w = np.zeros_like(self.weight)
        self.delta_b = np.zeros_like(self.bias)

    def forward(self):
        data = self.get_forward_input()
        self.output_data = np.dot(self.weight, data) + self.bias

    def backward(self):
        """Accumulate the gradients and pass the delta back.

        data: (input_dim, n); delta: (output_dim, n), with n = 1 for one sample.
        Adds the gradient of the loss to delta_w (output_dim, input_dim) and
        delta_b (output_dim, 1); sets output_delta (input_dim, n).
        """
        data = self.get_forward_input()
        delta = self.get_backward_input()

        # A mini-batch has one column per sample: the bias gets their sum.
        self.delta_b += np.sum(delta, axis=1, keepdims=True)
        self.delta_w += np.dot(delta, data.transpose())

        self.output_delta = np.dot(self.weight.transpose(), delta)

    def update_params(self, rate):
        # In place, so that self.params keeps pointing at the live arrays.
        self.weight -= rate * self.delta_w
        self.bias -= rate * self.delta_b

    def clear_deltas(self):
        self.delta_w.fill(0)
        self.delta_b.fill(0)

    def describe(self):
        print("|--- " + self.__class__.__name__)
        print("  |-- dimensions: ({},{})".format(self.input_dim, self.output_dim))
