"""A hand-made classifier: the average eight as a weight vector.

Exercises in this module, in the slides' order:
  3. average_digit(data, digit)
  4. predict(x, W, b)
  5. evaluate(data, digit, threshold, W, b)

Run ``python -m <package>.average_digits`` (solutions or exercises) to repeat the
slides' experiment.
"""
import numpy as np

from .layers import sigmoid_double
from .load_mnist import load_data


def average_digit(data, digit):
    """The mean image of every sample labelled ``digit``.

    data: a list of (x (784, 1), y (10, 1)) pairs, as shape_data makes them.
    Returns a column of shape (784, 1).
    """
    filtered_data = [x[0] for x in data if np.argmax(x[1]) == digit]
    if not filtered_data:
        raise ValueError(f"average_digit: no sample in data has the label {digit}")
    filtered_array = np.asarray(filtered_data)
    return np.average(filtered_array, axis=0)


def predict(x, W, b):
    """Logistic regression: sigmoid(W x + b).

    x: (784, 1) column (or (784, n) for n samples); W: (1, 784); b: a number.
    Returns shape (1, 1) (or (1, n)), values in (0, 1).
    """
    return sigmoid_double(np.dot(W, x) + b)


def evaluate(data, digit, threshold, W, b):
    """Accuracy of the one-digit classifier on ``data``, a float in [0, 1].

    A sample is predicted correctly when its prediction is above
    ``threshold`` and its label is ``digit``, or at/below ``threshold`` and
    its label is another digit.
    """
    total_samples = 1.0 * len(data)
    correct_predictions = 0
    for x in data:
        if predict(x[0], W, b) > threshold and np.argmax(x[1]) == digit:
            correct_predictions += 1
        if predict(x[0], W, b) <= threshold and np.argmax(x[1]) != digit:
            correct_predictions += 1
    # After the loop, not inside it: every sample must be counted.
    return correct_predictions / total_samples


def main():
    """The slides' experiment: how well does the average eight detect eights?"""
    train, test = load_data()
    avg_eight = average_digit(train, 8)
    W = np.transpose(avg_eight)
    # The slides' bias, -45, was chosen for the full training set's average eight.
    b = -45
    print("predict(x_3)  =", predict(train[2][0], W, b).item(), "label", np.argmax(train[2][1]))
    print("predict(x_18) =", predict(train[17][0], W, b).item(), "label", np.argmax(train[17][1]))
    eight_test = [x for x in test if np.argmax(x[1]) == 8]
    for name, data in [("train", train), ("test", test), ("eights in test", eight_test)]:
        print(f"accuracy on {name}: {evaluate(data, 8, 0.5, W, b):.3f}")


if __name__ == "__main__":
    main()
