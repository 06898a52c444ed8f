"""The loss function of the slides: mean squared error.

Exercises in this module, in the slides' order:
  6. MSE (loss_function and loss_derivative)
"""
import numpy as np


class MSE:
    """MSE(y, p) = 1/2 * sum_i (p_i - y_i)^2, and its derivative in p."""

    def __init__(self):
        pass

    @staticmethod
    def loss_function(predictions, labels):
        """Half the sum of squared differences, a number.

        predictions, labels: arrays of one shape, (10, 1) for one sample or
        (10, n) for n samples (the loss then adds up every sample).
        """
        # TODO: return half the sum of the squared differences, as one number.
        raise NotImplementedError("exercise 6: MSE")

    @staticmethod
    def loss_derivative(predictions, labels):
        """d loss / d predictions, of the same shape as predictions."""
        # TODO: return the derivative of the loss with respect to predictions.
        raise NotImplementedError("exercise 6: MSE")
