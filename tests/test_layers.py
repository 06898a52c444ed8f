"""Graded tests for exercises 7-8: Layer.connect and DenseLayer.backward."""
import numpy as np
import pytest

import solutions.losses as reference_losses
from checks import FD_STEP, GRAD_ATOL, GRAD_RTOL, close, column, expect, has_shape, show
from under_test import layers

connect_exercise = pytest.mark.exercise("Layer.connect")
backward_exercise = pytest.mark.exercise("DenseLayer.backward")


# ---------------------------------------------------------------- 7. Layer.connect

@connect_exercise
def test_connect_makes_the_argument_the_previous_layer():
    first, second = layers.Layer(), layers.Layer()
    second.connect(first)
    expect(second.previous is first, "second.connect(first)",
           f"second.previous is {second.previous!r}", "second.previous is first",
           "layer.connect(other) means: other comes before layer.")
    expect(first.next is second, "second.connect(first)",
           f"first.next is {first.next!r}", "first.next is second",
           "Link both ways: the earlier layer must know its successor too.")


@connect_exercise
def test_connect_leaves_the_other_links_alone():
    first, second = layers.Layer(), layers.Layer()
    second.connect(first)
    expect(first.previous is None and second.next is None, "second.connect(first)",
           f"first.previous = {first.previous!r}, second.next = {second.next!r}",
           "both None", "Only two links change: second.previous and first.next.")


@connect_exercise
def test_connect_lets_data_flow_forward_and_deltas_backward():
    first, second = layers.Layer(), layers.Layer()
    second.connect(first)
    first.output_data = column(1.0, 2.0)
    second.output_delta = column(3.0)
    got_forward = second.get_forward_input()
    got_backward = first.get_backward_input()
    expect(got_forward is first.output_data, "second.connect(first); second.get_forward_input()",
           show(got_forward), "first.output_data",
           "get_forward_input reads self.previous: connect must set it.")
    expect(got_backward is second.output_delta, "second.connect(first); first.get_backward_input()",
           show(got_backward), "second.output_delta",
           "get_backward_input reads self.next: connect must set it on the other layer.")


@connect_exercise
def test_connect_builds_a_chain_of_dense_layers():
    a, b, c = layers.DenseLayer(3, 4), layers.ActivationLayer(4), layers.DenseLayer(4, 2)
    b.connect(a)
    c.connect(b)
    expect(a.next is b and b.next is c and b.previous is a and c.previous is b,
           "b.connect(a); c.connect(b) for DenseLayer, ActivationLayer, DenseLayer",
           "a broken chain", "a -> b -> c, linked both ways",
           "connect lives in Layer, so every kind of layer inherits it.")


# ---------------------------------------------------------------- 8. DenseLayer.backward

def dense(weight, bias):
    """A DenseLayer with the given (out, in) weights and (out, 1) bias."""
    layer = layers.DenseLayer(weight.shape[1], weight.shape[0])
    layer.weight[...] = weight
    layer.bias[...] = bias
    return layer


W = np.array([[1.0, -2.0, 0.5],
              [0.0, 3.0, -1.0]])   # (2, 3): 3 inputs, 2 outputs
B = column(0.1, -0.2)
X = column(1.0, 2.0, -1.0)          # (3, 1)
DELTA = column(0.5, -1.0)           # (2, 1): the delta coming back


def run_backward(layer, x, delta):
    """Feed x forward and delta backward through one layer on its own."""
    layer.input_data = x
    layer.forward()
    layer.input_delta = delta
    layer.backward()
    return layer


@backward_exercise
def test_backward_gives_gradients_of_the_right_shapes():
    layer = run_backward(dense(W, B), X, DELTA)
    expect(has_shape(layer.delta_w, (2, 3)), "DenseLayer(3, 2).backward()",
           f"delta_w is {show(layer.delta_w)}", "delta_w of shape (2, 3), like weight",
           "delta times x transposed: (2, 1) x (1, 3).")
    expect(has_shape(layer.delta_b, (2, 1)), "DenseLayer(3, 2).backward()",
           f"delta_b is {show(layer.delta_b)}", "delta_b of shape (2, 1), like bias",
           "The bias gradient has one entry per output.")
    expect(has_shape(layer.output_delta, (3, 1)), "DenseLayer(3, 2).backward()",
           f"output_delta is {show(layer.output_delta)}", "output_delta of shape (3, 1), like the input",
           "The delta passed back has one entry per input.")


@backward_exercise
def test_backward_matches_the_slides_formulas_by_hand():
    layer = run_backward(dense(W, B), X, DELTA)
    # delta x^T = [[0.5, 1, -0.5], [-1, -2, 1]]; W^T delta = [0.5, -4, 1.25]
    expected_w = np.array([[0.5, 1.0, -0.5], [-1.0, -2.0, 1.0]])
    expect(close(layer.delta_w, expected_w), "backward() with x = (1, 2, -1), delta = (0.5, -1)",
           f"delta_w = {show(layer.delta_w)}", show(expected_w),
           "delta_w accumulates np.dot(delta, x.T).")
    expect(close(layer.delta_b, DELTA), "backward() with delta = (0.5, -1)",
           f"delta_b = {show(layer.delta_b)}", show(DELTA), "delta_b accumulates delta itself.")
    expected_out = column(0.5, -4.0, 1.25)
    expect(close(layer.output_delta, expected_out), "backward() with delta = (0.5, -1)",
           f"output_delta = {show(layer.output_delta)}", show(expected_out),
           "Pass back W transposed times delta; the weights, not their gradient.")


@backward_exercise
def test_backward_accumulates_instead_of_overwriting():
    layer = dense(W, B)
    run_backward(layer, X, DELTA)
    run_backward(layer, -2 * X, DELTA)
    # x + (-2x) = -x: the sum of both gradients is minus the first one
    expected_w = -np.array([[0.5, 1.0, -0.5], [-1.0, -2.0, 1.0]])
    expect(close(layer.delta_w, expected_w), "backward() twice, for x and then for -2x",
           f"delta_w = {show(layer.delta_w)}", f"the sum of both gradients: {show(expected_w)}",
           "Add to delta_w and delta_b (+=): update_params uses the sum over a mini-batch.")
    expect(close(layer.delta_b, 2 * DELTA), "backward() twice with the same delta",
           f"delta_b = {show(layer.delta_b)}", show(2 * DELTA), "delta_b adds up too.")


@backward_exercise
def test_backward_leaves_the_weights_alone():
    layer = run_backward(dense(W, B), X, DELTA)
    expect(close(layer.weight, W) and close(layer.bias, B), "backward()",
           f"weight {show(layer.weight)}, bias {show(layer.bias)}", "weight and bias unchanged",
           "backward only collects gradients; update_params changes the weights later.")


@backward_exercise
def test_backward_sums_a_mini_batch_over_its_columns():
    X3 = np.hstack([X, -X, 2 * X])                    # 3 samples, one per column
    D3 = np.hstack([DELTA, DELTA, -DELTA])
    layer = run_backward(dense(W, B), X3, D3)
    one = dense(W, B)
    for i in range(3):
        run_backward(one, X3[:, [i]], D3[:, [i]])
    expect(has_shape(layer.delta_b, (2, 1)) and close(layer.delta_b, one.delta_b),
           "backward() on a mini-batch of 3 columns", f"delta_b = {show(layer.delta_b)}",
           f"the sum of the 3 samples' deltas, shape (2, 1): {show(one.delta_b)}",
           "The slides say a mini-batch 'looks the same', but the bias needs the sum of "
           "delta's columns (np.sum with axis and keepdims).")
    expect(close(layer.delta_w, one.delta_w), "backward() on a mini-batch of 3 columns",
           f"delta_w = {show(layer.delta_w)}", f"the sum of the 3 samples' gradients: {show(one.delta_w)}",
           "np.dot(delta, x.T) already adds up the samples.")
    expect(has_shape(layer.output_delta, (3, 3)), "backward() on a mini-batch of 3 columns",
           f"output_delta = {show(layer.output_delta)}", "shape (3, 3): one delta column per sample",
           "Each sample's delta travels back on its own.")


def small_network():
    """Dense(4->3), sigmoid, Dense(3->2), sigmoid, wired by hand (no connect)."""
    rng = np.random.default_rng(7)
    net = [dense(rng.normal(size=(3, 4)), rng.normal(size=(3, 1))),
           layers.ActivationLayer(3),
           dense(rng.normal(size=(2, 3)), rng.normal(size=(2, 1))),
           layers.ActivationLayer(2)]
    for before, after in zip(net, net[1:]):
        after.previous, before.next = before, after
    return net


def loss_of(net, x, y):
    net[0].input_data = x
    for layer in net:
        layer.forward()
    return reference_losses.MSE.loss_function(net[-1].output_data, y)


@backward_exercise
def test_backward_agrees_with_central_differences_through_a_network():
    net = small_network()
    x, y = column(0.3, -0.7, 1.2, 0.05), column(1.0, 0.0)
    loss_of(net, x, y)
    net[-1].input_delta = reference_losses.MSE.loss_derivative(net[-1].output_data, y)
    for layer in reversed(net):
        layer.backward()
    for name, layer in (("first", net[0]), ("second", net[2])):
        for param, grad, what in ((layer.weight, layer.delta_w, "delta_w"),
                                  (layer.bias, layer.delta_b, "delta_b")):
            numeric = np.zeros_like(param)
            for index in np.ndindex(param.shape):
                saved = param[index]
                param[index] = saved + FD_STEP
                up = loss_of(net, x, y)
                param[index] = saved - FD_STEP
                down = loss_of(net, x, y)
                param[index] = saved
                numeric[index] = (up - down) / (2 * FD_STEP)
            expect(close(grad, numeric, rtol=GRAD_RTOL, atol=GRAD_ATOL),
                   f"backward() of the {name} dense layer in Dense-sigmoid-Dense-sigmoid with MSE",
                   f"{what} = {show(grad)}", f"central differences of the loss: {show(numeric)}",
                   "The gradient must be the loss's slope in every weight: check the formula "
                   "and which layer's delta and input you use.")
    numeric_x = np.zeros_like(x)
    for i in range(x.shape[0]):
        step = np.zeros_like(x)
        step[i] = FD_STEP
        numeric_x[i] = (loss_of(net, x + step, y) - loss_of(net, x - step, y)) / (2 * FD_STEP)
    loss_of(net, x, y)
    net[-1].input_delta = reference_losses.MSE.loss_derivative(net[-1].output_data, y)
    for layer in reversed(net):
        layer.backward()
    expect(close(net[0].output_delta, numeric_x, rtol=GRAD_RTOL, atol=GRAD_ATOL),
           "output_delta of the first dense layer", show(net[0].output_delta),
           f"central differences of the loss in x: {show(numeric_x)}",
           "output_delta is the loss's slope in the layer's input: W transposed times delta.")
