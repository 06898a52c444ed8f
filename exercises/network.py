"""A sequential network trained with mini-batch stochastic gradient descent.

Exercises in this module, in the slides' order:
  9. SequentialNetwork.train(...)

A mini-batch travels through the layers as one matrix whose columns are its
samples: the same arithmetic as one sample at a time, but numpy does the
loop, which is many times faster.
"""
import random

import numpy as np

from .losses import MSE


def stack(pairs):
    """Stack (x (784, 1), y (10, 1)) pairs into X (784, n) and Y (10, n)."""
    xs, ys = zip(*pairs)
    return np.hstack(xs), np.hstack(ys)


class SequentialNetwork:
    """Layers applied one after another, the output of each the input of the next."""

    def __init__(self, loss=None):
        print("Initialize Network...")
        self.layers = []
        if loss is None:
            loss = MSE()
        self.loss = loss

    def add(self, layer):
        self.layers.append(layer)
        layer.describe()
        if len(self.layers) > 1:
            self.layers[-1].connect(self.layers[-2])

    def train(self, training_data, epochs, mini_batch_size,
              learning_rate, test_data=None):
        """Mini-batch SGD.

        training_data: a list of (x (784, 1), y (10, 1)) pairs.
        Each epoch shuffles the data, cuts it into mini-batches of
        mini_batch_size (the last one may be smaller), trains on each, then
        prints "Epoch {epoch}: {correct} / {len(test_data)}" when test_data
        is given, else "Epoch {epoch} complete".
        """
        # TODO: for each epoch: shuffle, cut into mini-batches, train_batch each one,
        #       then print 'Epoch {epoch}: {correct} / {total}' or 'Epoch {epoch} complete'.
        raise NotImplementedError("exercise 9: SequentialNetwork.train")

    def train_batch(self, mini_batch, learning_rate):
        self.forward_backward(mini_batch)
        self.update(mini_batch, learning_rate)

    def update(self, mini_batch, learning_rate):
        # The deltas are sums over the mini-batch: dividing the rate by its
        # size makes the step follow their mean.
        learning_rate = learning_rate / len(mini_batch)
        for layer in self.layers:
            layer.update_params(learning_rate)
        for layer in self.layers:
            layer.clear_deltas()

    def forward_backward(self, mini_batch):
        x, y = stack(mini_batch)
        self.layers[0].input_data = x
        for layer in self.layers:
            layer.forward()
        self.layers[-1].input_delta = \
            self.loss.loss_derivative(self.layers[-1].output_data, y)
        for layer in reversed(self.layers):
            layer.backward()

    def single_forward(self, x):
        """The network's output for x: (784, 1) gives (10, 1); (784, n) gives (10, n)."""
        self.layers[0].input_data = x
        for layer in self.layers:
            layer.forward()
        return self.layers[-1].output_data

    def evaluate(self, test_data):
        """How many samples of test_data the network classifies right (an int)."""
        x, y = stack(test_data)
        predicted = np.argmax(self.single_forward(x), axis=0)
        return int(np.sum(predicted == np.argmax(y, axis=0)))
