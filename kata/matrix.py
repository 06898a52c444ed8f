"""The slides' training step on a whole mini-batch at once.

``kata/train.py`` and ``kata/bench.py`` train with this module. It works on
the dense layers of a network built from ``solutions`` (or ``exercises``):
it reads their ``weight`` and ``bias`` and updates them in place, so the
trained network evaluates, saves and loads like any other.

Why not call the layers' own ``forward_backward`` and ``update``? They
follow the slides' structure, which is right for teaching but costs time on
a mini-batch matrix: each step adds the gradient into ``delta_w``, then
subtracts it from ``weight``, then clears ``delta_w`` (three passes over
every weight matrix), and the first layer computes an ``output_delta`` no
one reads (a ninth matrix multiply, the largest). Here each layer's weights
are read by the forward pass, read by the backward pass and updated once.

The arithmetic is the slides' (``kata/tests/test_train.py`` checks that the
parameters equal those of the slides' per-sample loop to 1e-10):

    forward      a_0 = x,  a_l = sigmoid(W_l a_(l-1) + b_l)
    output       delta = (a_L - y) * a_L * (1 - a_L)      MSE' times sigmoid'
    backward     delta_(l-1) = (W_l^T delta_l) * a_(l-1) * (1 - a_(l-1))
    update       W_l -= rate / n * delta_l a_(l-1)^T,  b_l -= rate / n * (sum of delta_l's columns)

with x of shape (784, n): one column per sample of the mini-batch. The
sum over the columns is the sum over the samples that the per-sample loop
accumulates in ``delta_w`` and ``delta_b``.
"""
import numpy as np


def sigmoid(z):
    """sigma(z) = 1 / (1 + e^-z), written as (1 + tanh(z / 2)) / 2.

    The same function (the two forms are equal for every z), but tanh never
    overflows, so no warning for very negative z, and numpy computes it fast.
    """
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_in_place(z):
    """sigmoid(z), computed in z's own memory: z is overwritten and returned.

    For the fresh arrays W a + b of the forward pass: on the whole test set
    they are 392 x 10,000 numbers, and four new arrays of that size cost
    more than the arithmetic.
    """
    z *= 0.5
    np.tanh(z, out=z)
    z += 1.0
    z *= 0.5
    return z


def dense_layers(network):
    """The dense layers of a network built as the slides do: Dense, sigmoid, Dense, sigmoid, ...

    Raises ValueError for any other shape of network, since train_step
    assumes a sigmoid after every dense layer.
    """
    layers = network.layers
    kinds = [type(layer).__name__ for layer in layers]
    expected = ["DenseLayer", "ActivationLayer"] * (len(layers) // 2)
    if not layers or kinds != expected:
        raise ValueError("kata.matrix trains networks of the slides' shape "
                         f"(DenseLayer, ActivationLayer, ...), not {kinds}")
    dense = layers[0::2]
    for before, after in zip(dense, dense[1:]):
        if before.weight.shape[0] != after.weight.shape[1]:
            raise ValueError(f"layer sizes do not chain: {before.weight.shape} then "
                             f"{after.weight.shape}")
    return dense


def forward(layers, x):
    """The network's output for x (784, n): (10, n), one column per sample."""
    a = x
    for layer in layers:
        z = np.dot(layer.weight, a)
        z += layer.bias
        a = sigmoid_in_place(z)
    return a


def train_step(layers, x, y, learning_rate):
    """One step of SGD on a mini-batch given as matrices; returns the batch's loss.

    layers: the dense layers (dense_layers(network)); x: (784, n) and
    y: (10, n), one column per sample. Updates every weight and bias in
    place, as the slides' train_batch does for the n samples, and returns
    the MSE loss of the batch before the step (the sum over its samples).
    """
    # Forward: keep the input of every layer, the backward pass needs it.
    inputs = [x]
    for layer in layers:
        z = np.dot(layer.weight, inputs[-1])
        z += layer.bias
        inputs.append(sigmoid_in_place(z))
    output = inputs.pop()

    error = output - y                        # MSE.loss_derivative
    loss = 0.5 * float(np.vdot(error, error))  # MSE.loss_function: half the sum of squares
    delta = error * output * (1 - output)     # times sigmoid'(z) = a (1 - a)

    # Backward, last layer first. The slides divide the rate by the batch size.
    rate = learning_rate / x.shape[1]
    for i in reversed(range(len(layers))):
        layer, a = layers[i], inputs[i]
        if i > 0:  # the delta for the layer below, with W before its update
            delta_below = np.dot(layer.weight.T, delta) * a * (1 - a)
        layer.weight -= np.dot(rate * delta, a.T)
        layer.bias -= rate * delta.sum(axis=1, keepdims=True)
        if i > 0:
            delta = delta_below
    return loss


def count_correct(layers, x, labels):
    """How many columns of x the network classifies as ``labels`` (ints, shape (n,))."""
    predicted = np.argmax(forward(layers, x), axis=0)
    return int(np.sum(predicted == labels))
