"""Graded tests for exercises 3-5: average_digit, predict and evaluate."""
import numpy as np
import pytest

import solutions.average_digits as reference
from checks import close, column, expect, has_shape, one_hot, sample_pairs, show
from under_test import average_digits

average_digit_exercise = pytest.mark.exercise("average_digit")
predict_exercise = pytest.mark.exercise("predict")
evaluate_exercise = pytest.mark.exercise("evaluate")


def sigma(z):
    return 1.0 / (1.0 + np.exp(-z))


# ---------------------------------------------------------------- 3. average_digit

def tiny_pairs():
    """Four 3-pixel 'images': two eights, a three and a zero."""
    return [
        (column(1.0, 0.0, 0.5), one_hot(8)),
        (column(9.0, 9.0, 9.0), one_hot(3)),
        (column(0.0, 1.0, 0.25), one_hot(8)),
        (column(5.0, 0.0, 1.0), one_hot(0)),
    ]


@average_digit_exercise
def test_average_digit_is_the_mean_of_that_digits_images():
    result = average_digits.average_digit(tiny_pairs(), 8)
    expected = column(0.5, 0.5, 0.375)
    expect(close(result, expected), "average_digit(data, 8) on two eights, a three and a zero",
           show(result), show(expected),
           "Keep only the samples whose label is the digit, then average them pixel by pixel.")


@average_digit_exercise
def test_average_digit_keeps_the_column_shape():
    result = average_digits.average_digit(tiny_pairs(), 3)
    expect(has_shape(result, (3, 1)), "average_digit(data, 3) on 3-pixel columns",
           show(result), "shape (3, 1), like one image",
           "Average over the samples (the first axis), not over the pixels.")
    expect(close(result, column(9.0, 9.0, 9.0)), "average_digit(data, 3) with one three",
           show(result), "that three itself", "The mean of one image is the image.")


@average_digit_exercise
def test_average_digit_reads_the_digit_from_the_one_hot_label():
    pairs = tiny_pairs()
    result = average_digits.average_digit(pairs, 0)
    expect(close(result, column(5.0, 0.0, 1.0)), "average_digit(data, 0)",
           show(result), show(column(5.0, 0.0, 1.0)),
           "The label is a one-hot column: its digit is the index of the 1 (np.argmax).")


@average_digit_exercise
def test_average_digit_of_real_eights_matches_numpy():
    pairs = sample_pairs(split=0, count=1000)
    eights = np.hstack([x for x, y in pairs if np.argmax(y) == 8])
    expected = eights.mean(axis=1, keepdims=True)
    result = average_digits.average_digit(pairs, 8)
    expect(has_shape(result, (784, 1)) and close(result, expected, rtol=1e-6, atol=1e-9),
           "average_digit(1,000 real digits, 8)", show(result),
           f"the mean of the {eights.shape[1]} eights, shape (784, 1)",
           "Every eight counts once, and nothing else counts.")


# ---------------------------------------------------------------- 4. predict

W_TINY = np.array([[1.0, 2.0, 3.0]])   # (1, 3)
X_TINY = column(1.0, 0.0, -1.0)        # W x = -2


@predict_exercise
def test_predict_is_the_sigmoid_of_w_x_plus_b():
    for b in (2.0, -1.0, 3.5):
        result = average_digits.predict(X_TINY, W_TINY, b)
        expected = np.array([[sigma(-2.0 + b)]])
        expect(close(result, expected),
               f"predict(x, W, b={b}) with W x = -2", show(result),
               f"sigmoid(-2 + {b}) = {expected.item():.6f} in shape (1, 1)",
               "Compute z = W x + b (np.dot(W, x), then add b), then squash it with sigmoid_double.")


@predict_exercise
def test_predict_returns_a_1_by_1_array_for_one_column():
    result = average_digits.predict(X_TINY, W_TINY, 0.0)
    expect(np.shape(result) == (1, 1), "predict(x (3, 1), W (1, 3), 0.0)",
           show(result), "shape (1, 1)",
           "W is a row and x a column: np.dot(W, x), in that order, is a single number.")


@predict_exercise
def test_predict_uses_the_bias():
    low = average_digits.predict(X_TINY, W_TINY, -10.0)
    high = average_digits.predict(X_TINY, W_TINY, 10.0)
    expect(np.all(np.asarray(low) < np.asarray(high)), "predict(x, W, -10.0) and predict(x, W, 10.0)",
           f"{show(low)} and {show(high)}", "the second larger than the first",
           "A larger bias moves z = W x + b up, and the sigmoid with it.")


@predict_exercise
def test_predict_stays_between_0_and_1():
    W = np.array([[100.0, -100.0, 100.0]])
    result = average_digits.predict(column(1.0, 0.0, 1.0), W, 0.5)
    expect(np.all((np.asarray(result) > 0.5) & (np.asarray(result) <= 1.0)),
           "predict(x, W, 0.5) with W x = 200", show(result),
           "a probability close to 1", "The sigmoid maps any z into (0, 1); large z gives nearly 1.")


@predict_exercise
def test_predict_of_the_average_eight_favours_eights():
    pairs = sample_pairs(split=0, count=1000)
    eights = np.hstack([x for x, y in pairs if np.argmax(y) == 8])
    W = eights.mean(axis=1, keepdims=True).T
    scores = {True: [], False: []}
    for x, y in pairs[:300]:
        scores[bool(np.argmax(y) == 8)].append(np.mean(average_digits.predict(x, W, -20.0)))
    mean_eight, mean_other = np.mean(scores[True]), np.mean(scores[False])
    expect(mean_eight > mean_other, "predict(x, W = average eight transposed, b = -20) on real digits",
           f"mean {mean_eight:.3f} for eights, {mean_other:.3f} for others",
           "a higher mean for the eights",
           "An image close to the average eight has a large dot product with it.")


# ---------------------------------------------------------------- 5. evaluate

@pytest.fixture
def reference_predict(monkeypatch):
    """evaluate is graded on its own: predict is the reference one here."""
    monkeypatch.setattr(average_digits, "predict", reference.predict)


W_ONE = np.array([[1.0]])  # with 1-pixel images, predict(x) = sigmoid(x + b)


def one_pixel(value, digit):
    return (column(value), one_hot(digit))


@evaluate_exercise
def test_evaluate_counts_both_kinds_of_correct_answer(reference_predict):
    data = [one_pixel(5.0, 4),    # predicted 4, is 4: correct
            one_pixel(-5.0, 1),   # predicted not 4, is 1: correct
            one_pixel(5.0, 2),    # predicted 4, is 2: wrong
            one_pixel(-5.0, 4)]   # predicted not 4, is 4: wrong
    result = average_digits.evaluate(data, 4, 0.5, W_ONE, 0.0)
    expect(close(result, 0.5), "evaluate(data, digit=4, threshold=0.5, W, b) on 4 samples, 2 right",
           show(result), "0.5", "A sample is right when above the threshold AND the digit, "
           "or at/below it AND another digit.")


@evaluate_exercise
def test_evaluate_looks_at_every_sample(reference_predict):
    data = [one_pixel(5.0, 3), one_pixel(5.0, 3), one_pixel(5.0, 3), one_pixel(5.0, 7)]
    result = average_digits.evaluate(data, 3, 0.5, W_ONE, 0.0)
    expect(close(result, 0.75), "evaluate(...) on 4 samples whose first three are right",
           show(result), "0.75",
           "Look at where your return statement is: the loop must finish before you divide.")
    data = [one_pixel(-5.0, 3), one_pixel(5.0, 3), one_pixel(-5.0, 1), one_pixel(-5.0, 2),
            one_pixel(5.0, 3)]
    result = average_digits.evaluate(data, 3, 0.5, W_ONE, 0.0)
    expect(close(result, 0.8), "evaluate(...) on 5 samples whose first is wrong",
           show(result), "0.8", "Count every sample before you divide by their number.")


@evaluate_exercise
def test_evaluate_treats_the_threshold_as_not_the_digit(reference_predict):
    at_threshold = [one_pixel(0.0, 6)]   # sigmoid(0) = 0.5 exactly
    result = average_digits.evaluate(at_threshold, 6, 0.5, W_ONE, 0.0)
    expect(close(result, 0.0), "evaluate([a 6 predicted exactly 0.5], digit=6, threshold=0.5, ...)",
           show(result), "0.0", "Only a prediction strictly above the threshold says 'it is the digit'.")
    at_threshold = [one_pixel(0.0, 2)]
    result = average_digits.evaluate(at_threshold, 6, 0.5, W_ONE, 0.0)
    expect(close(result, 1.0), "evaluate([a 2 predicted exactly 0.5], digit=6, threshold=0.5, ...)",
           show(result), "1.0", "At or below the threshold means 'another digit', which is right for a 2.")


@evaluate_exercise
def test_evaluate_uses_its_threshold_w_and_b(reference_predict):
    data = [one_pixel(1.0, 5), one_pixel(-1.0, 0)]
    cases = [
        (dict(threshold=0.5, W=W_ONE, b=0.0), 1.0),
        (dict(threshold=0.9, W=W_ONE, b=0.0), 0.5),    # sigmoid(1) = 0.73 is not above 0.9
        (dict(threshold=0.5, W=-W_ONE, b=0.0), 0.0),
        (dict(threshold=0.5, W=W_ONE, b=-3.0), 0.5),
    ]
    for kwargs, expected in cases:
        result = average_digits.evaluate(data, 5, **kwargs)
        expect(close(result, expected),
               f"evaluate(data, 5, threshold={kwargs['threshold']}, W={kwargs['W'].tolist()}, b={kwargs['b']})",
               show(result), str(expected), "Call predict(x, W, b) with the arguments you were given.")


@evaluate_exercise
def test_evaluate_matches_a_direct_count_on_real_digits(reference_predict):
    pairs = sample_pairs(split=2, count=300)
    eights = np.hstack([x for x, y in sample_pairs(split=0, count=1000) if np.argmax(y) == 8])
    W = eights.mean(axis=1, keepdims=True).T
    b = -20.0
    X = np.hstack([x for x, _ in pairs])
    labels = np.array([np.argmax(y) for _, y in pairs])
    above = sigma(W @ X + b).ravel() > 0.5
    expected = np.mean(above == (labels == 8))
    result = average_digits.evaluate(pairs, 8, 0.5, W, b)
    expect(close(result, expected), "evaluate(300 real digits, 8, 0.5, average eight, -20)",
           show(result), f"{expected:.4f}", "An accuracy: the fraction of samples predicted right.")
