"""The slides' network exactly as the slides write it: one sample at a time.

The yardstick of ``kata/bench.py`` and of the equivalence test in
``kata/tests/test_train.py``: the same arithmetic as the solutions, but
with ``np.vectorize`` for the sigmoid, one forward and backward pass per
sample in ``forward_backward``, and one ``single_forward`` per sample in
``evaluate``. Only the slides' bugs are fixed (the argument of
``sigmoid_prime``, the missing colon and bracket, ``loss=`` never stored),
so that it runs. It is not part of the exercises: do not import it there.
"""
import numpy as np


def sigmoid_double(x):
    return 1.0 / (1.0 + np.exp(-x))


def sigmoid(z):
    return np.vectorize(sigmoid_double)(z)


def sigmoid_prime_double(x):
    return sigmoid_double(x) * (1 - sigmoid_double(x))


def sigmoid_prime(x):
    return np.vectorize(sigmoid_prime_double)(x)


class MSE:
    @staticmethod
    def loss_function(predictions, labels):
        diff = predictions - labels
        return 0.5 * np.sum(diff * diff)

    @staticmethod
    def loss_derivative(predictions, labels):
        return predictions - labels


class Layer:
    def __init__(self):
        self.params = []
        self.previous = None
        self.next = None
        self.input_data = None
        self.output_data = None
        self.input_delta = None
        self.output_delta = None

    def connect(self, layer):
        self.previous = layer
        layer.next = self

    def get_forward_input(self):
        if self.previous is not None:
            return self.previous.output_data
        return self.input_data

    def get_backward_input(self):
        if self.next is not None:
            return self.next.output_delta
        return self.input_delta

    def clear_deltas(self):
        pass

    def update_params(self, learning_rate):
        pass


class ActivationLayer(Layer):
    def __init__(self, input_dim):
        super().__init__()
        self.input_dim = self.output_dim = input_dim

    def forward(self):
        data = self.get_forward_input()
        self.output_data = sigmoid(data)

    def backward(self):
        delta = self.get_backward_input()
        data = self.get_forward_input()
        self.output_delta = delta * sigmoid_prime(data)


class DenseLayer(Layer):
    """The slides' dense layer. weight and bias may be given (copied), so that
    a comparison starts from the same parameters; else N(0, 1) as on the slides."""

    def __init__(self, input_dim, output_dim, weight=None, bias=None):
        super().__init__()
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.weight = (np.random.randn(output_dim, input_dim) if weight is None
                       else np.array(weight, dtype=np.float64))
        self.bias = (np.random.randn(output_dim, 1) if bias is None
                     else np.array(bias, dtype=np.float64))
        self.params = [self.weight, self.bias]
        self.delta_w = np.zeros(self.weight.shape)
        self.delta_b = np.zeros(self.bias.shape)

    def forward(self):
        data = self.get_forward_input()
        self.output_data = np.dot(self.weight, data) + self.bias

    def backward(self):
        data = self.get_forward_input()
        delta = self.get_backward_input()
        self.delta_b += delta
        self.delta_w += np.dot(delta, data.transpose())
        self.output_delta = np.dot(self.weight.transpose(), delta)

    def update_params(self, rate):
        self.weight -= rate * self.delta_w
        self.bias -= rate * self.delta_b

    def clear_deltas(self):
        self.delta_w = np.zeros(self.weight.shape)
        self.delta_b = np.zeros(self.bias.shape)


class SequentialNetwork:
    def __init__(self, loss=None):
        self.layers = []
        self.loss = MSE() if loss is None else loss

    def add(self, layer):
        self.layers.append(layer)
        if len(self.layers) > 1:
            self.layers[-1].connect(self.layers[-2])

    def train_batch(self, mini_batch, learning_rate):
        self.forward_backward(mini_batch)
        self.update(mini_batch, learning_rate)

    def update(self, mini_batch, learning_rate):
        learning_rate = learning_rate / len(mini_batch)
        for layer in self.layers:
            layer.update_params(learning_rate)
        for layer in self.layers:
            layer.clear_deltas()

    def forward_backward(self, mini_batch):
        for x, y in mini_batch:
            self.layers[0].input_data = x
            for layer in self.layers:
                layer.forward()
            self.layers[-1].input_delta = \
                self.loss.loss_derivative(self.layers[-1].output_data, y)
            for layer in reversed(self.layers):
                layer.backward()

    def single_forward(self, x):
        self.layers[0].input_data = x
        for layer in self.layers:
            layer.forward()
        return self.layers[-1].output_data

    def evaluate(self, test_data):
        test_results = [(np.argmax(self.single_forward(x)), np.argmax(y))
                        for (x, y) in test_data]
        return sum(int(x == y) for (x, y) in test_results)


def copy_of(dense_layers):
    """A slides network with the weights of the given dense layers (any objects
    with ``weight`` and ``bias``), a sigmoid after each: the same start point."""
    net = SequentialNetwork()
    for layer in dense_layers:
        out_dim, in_dim = layer.weight.shape
        net.add(DenseLayer(in_dim, out_dim, layer.weight, layer.bias))
        net.add(ActivationLayer(out_dim))
    return net
