"""Graded tests for exercise 6: the MSE loss and its derivative."""
import numpy as np
import pytest

from checks import FD_STEP, GRAD_ATOL, GRAD_RTOL, close, column, expect, one_hot, show
from under_test import losses

mse_exercise = pytest.mark.exercise("MSE")

P = column(0.1, 0.2, 0.0, 0.7, 0.0, 0.0, 0.0, 0.0, 0.0, 0.4)   # a prediction
Y = one_hot(3)                                                  # its label
# by hand: 0.5 * (0.1^2 + 0.2^2 + 0.3^2 + 0.4^2) = 0.5 * 0.30
LOSS_BY_HAND = 0.15


@mse_exercise
def test_mse_loss_is_half_the_sum_of_squared_errors():
    result = losses.MSE.loss_function(P, Y)
    expect(np.ndim(result) == 0 and close(float(result), LOSS_BY_HAND),
           "MSE.loss_function(p, y) with errors 0.1, 0.2, -0.3, 0.4", show(result),
           f"{LOSS_BY_HAND} (a number)",
           "Square each difference, add them all up, and take half of the sum.")


@mse_exercise
def test_mse_loss_is_zero_for_a_perfect_prediction():
    result = losses.MSE.loss_function(one_hot(7), one_hot(7))
    expect(np.ndim(result) == 0 and close(float(result), 0.0), "MSE.loss_function(y, y)",
           show(result), "0.0", "A prediction equal to its label has no error.")


@mse_exercise
def test_mse_loss_of_a_mini_batch_adds_up_every_sample():
    P2 = np.hstack([P, one_hot(0) * 0.5])   # second sample: 0.5 instead of 1 in row 0
    Y2 = np.hstack([Y, one_hot(0)])
    result = losses.MSE.loss_function(P2, Y2)
    expected = LOSS_BY_HAND + 0.5 * 0.25
    expect(np.ndim(result) == 0 and close(float(result), expected),
           "MSE.loss_function(P, Y) with two samples as columns, losses 0.15 and 0.125",
           show(result), f"{expected} (a number)",
           "Sum over every entry of the matrix, not only over the first column.")


@mse_exercise
def test_mse_loss_derivative_is_prediction_minus_label():
    result = losses.MSE.loss_derivative(P, Y)
    expected = P - Y
    expect(close(result, expected), "MSE.loss_derivative(p, y)", show(result), show(expected),
           "Differentiate 1/2 (p - y)^2 with respect to p; mind the sign.")


@mse_exercise
def test_mse_loss_derivative_keeps_the_shape_of_a_mini_batch():
    P2 = np.hstack([P, 1 - P])
    Y2 = np.hstack([Y, one_hot(9)])
    result = losses.MSE.loss_derivative(P2, Y2)
    expect(close(result, P2 - Y2), "MSE.loss_derivative(P, Y) with P, Y of shape (10, 2)",
           show(result), "an array of shape (10, 2): one column of derivatives per sample",
           "The derivative has one entry per prediction.")


@mse_exercise
def test_mse_loss_derivative_is_the_slope_of_the_loss():
    # Central differences on the reference formula: a student's derivative
    # must match the slope of 1/2 sum (p - y)^2 in every entry.
    def loss(p):
        return 0.5 * np.sum((p - Y) ** 2)
    numeric = np.zeros_like(P)
    for i in range(P.shape[0]):
        step = np.zeros_like(P)
        step[i] = FD_STEP
        numeric[i] = (loss(P + step) - loss(P - step)) / (2 * FD_STEP)
    result = losses.MSE.loss_derivative(P, Y)
    expect(close(result, numeric, rtol=GRAD_RTOL, atol=GRAD_ATOL),
           "MSE.loss_derivative(p, y) against central differences of the loss",
           show(result), show(numeric), "The derivative is the loss's rate of change in each prediction.")


@mse_exercise
def test_mse_methods_are_static():
    loss = losses.MSE()
    result = loss.loss_function(P, Y)
    expect(np.ndim(result) == 0 and close(float(result), LOSS_BY_HAND),
           "MSE().loss_function(p, y), called on an instance", show(result), str(LOSS_BY_HAND),
           "Both methods are @staticmethod: no self, callable on the class and on an instance.")
    result = loss.loss_derivative(P, Y)
    expect(close(result, P - Y), "MSE().loss_derivative(p, y)", show(result), "p - y",
           "Keep the @staticmethod decorator.")
