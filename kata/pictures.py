"""Pictures: the slides' average eight and the learning curves.

With matplotlib installed (an optional extra: ``tox -e train-plot``, or
``pip install matplotlib``) they are saved as PNG files; without it the
average digit is drawn in the terminal with Unicode blocks.

    python -m kata.pictures                 # the average eight, in the terminal
    python -m kata.pictures --digit 3 --out plots   # average-3.png in plots/
"""
import argparse
import sys
from pathlib import Path

import numpy as np

# From paper to ink: a space, then the shade blocks U+2591, U+2592, U+2593, U+2588.
SHADES = " \u2591\u2592\u2593\u2588"


def have_matplotlib():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def average_digit(images, labels, digit=8):
    """The mean image of every sample labelled ``digit``: (28, 28).

    images: (n, 784), one row per sample (as kata.mnist reads them).
    The slides' average_digit, on arrays instead of (x, y) pairs.
    """
    images = np.asarray(images)
    chosen = images[np.asarray(labels) == digit]
    if len(chosen) == 0:
        raise ValueError(f"no sample is labelled {digit}")
    return chosen.mean(axis=0).reshape(28, 28)


def draw_digit(image):
    """A 28 x 28 image as 28 lines of text, two characters per pixel.

    Each pixel becomes one of SHADES by its brightness relative to the
    image's brightest pixel (an average digit is never fully black).
    """
    image = np.asarray(image, dtype=float).reshape(28, 28)
    top = image.max()
    levels = np.zeros(image.shape, dtype=int) if top <= 0 else \
        np.minimum((image / top * len(SHADES)).astype(int), len(SHADES) - 1)
    return "\n".join("".join(2 * SHADES[level] for level in row) for row in levels)


def _figure(**kwargs):
    """A matplotlib Figure that needs no display and touches no global state."""
    from matplotlib.figure import Figure
    return Figure(**kwargs)


def save_digit(image, path, title):
    fig = _figure(figsize=(4, 4.4))
    ax = fig.add_subplot()
    ax.imshow(np.asarray(image).reshape(28, 28), cmap="gray_r")  # the slides: plt.imshow
    ax.set_title(title)
    ax.set_axis_off()
    fig.savefig(path, dpi=100, bbox_inches="tight")
    return path


def save_learning_curves(history, path, title=None):
    """Training loss and test accuracy per epoch, side by side."""
    epochs = [epoch.number for epoch in history.epochs]
    fig = _figure(figsize=(9, 3.6))
    loss_ax, acc_ax = fig.subplots(1, 2)
    loss_ax.plot(epochs, [epoch.loss for epoch in history.epochs], "o-")
    loss_ax.set_xlabel("epoch")
    loss_ax.set_ylabel("mean training loss (MSE)")
    acc_ax.plot(epochs, [100 * epoch.accuracy for epoch in history.epochs], "o-", color="C1")
    acc_ax.set_xlabel("epoch")
    acc_ax.set_ylabel("test accuracy (%)")
    for ax in (loss_ax, acc_ax):
        ax.grid(True, alpha=0.3)
        ax.set_xticks(epochs)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    return path


def save_all(folder, data, history, digit=8):
    """After training: PNGs in ``folder`` if matplotlib is there, else the eight in text.

    data: a kata.train.Data. Returns the lines to print.
    """
    image = average_digit(data.x_train.T, data.labels_train, digit)
    if not have_matplotlib():
        return [f"The average {digit} of the training set (matplotlib is not installed: "
                "pip install matplotlib, or tox -e train-plot, saves PNG files):",
                draw_digit(image)]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    saved = [save_digit(image, folder / f"average-{digit}.png",
                        f"The average {digit} of the training set"),
             save_learning_curves(history, folder / "learning-curves.png")]
    return [f"Saved {path}" for path in saved]


def main(argv=None):
    from kata.mnist import MnistDataError, read_mnist_pickle
    parser = argparse.ArgumentParser(
        prog="python -m kata.pictures",
        description="Show the average of one digit over the training set, as the slides do.")
    parser.add_argument("--digit", type=int, default=8, choices=range(10), metavar="0-9",
                        help="which digit (default 8, the slides')")
    parser.add_argument("--data", type=Path, metavar="PATH",
                        help="an mnist.pkl.gz (default: full MNIST if built, else the sample)")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="save average-<digit>.png in DIR (needs matplotlib)")
    args = parser.parse_args(argv)
    try:
        (images, labels), _, _ = read_mnist_pickle(args.data)
    except MnistDataError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    image = average_digit(images, labels, args.digit)
    if args.out is not None and have_matplotlib():
        args.out.mkdir(parents=True, exist_ok=True)
        path = save_digit(image, args.out / f"average-{args.digit}.png",
                          f"The average {args.digit} of the training set")
        print(f"Saved {path}")
        return 0
    if args.out is not None:
        print("matplotlib is not installed, so no PNG: here is the digit instead.")
    print(draw_digit(image))
    return 0


if __name__ == "__main__":
    sys.exit(main())
