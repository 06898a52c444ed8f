"""Save a trained network to ``.npz`` and load it back, without pickle.

A model file is a numpy ``.npz`` archive of plain arrays:

    format       "kata-mlp/1"
    sizes        int64 (L + 1,): 784, ..., 10
    dtype        "float64" or "float32"
    activation   "sigmoid" (after every dense layer)
    loss         "mse"
    weight_0 ... weight_(L-1)   (sizes[i + 1], sizes[i])
    bias_0 ... bias_(L-1)       (sizes[i + 1], 1)
    info         a JSON text: how it was trained (epochs, rate, accuracy, ...)

It is read with ``np.load(..., allow_pickle=False)``, so a file cannot run
code; anything missing, misshapen or not finite is refused with a message
that says what is wrong.
"""
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

FORMAT = "kata-mlp/1"
DTYPES = ("float64", "float32")


class ModelFileError(Exception):
    """A model file is missing, damaged or not a model of this kata."""


@dataclass
class Model:
    sizes: list
    dtype: np.dtype
    weights: list
    biases: list
    info: dict = field(default_factory=dict)

    def describe_info(self):
        """', trained 10 epochs, rate 1, ...' from the info, or ''."""
        keys = ("epochs", "rate", "init", "seed", "test_accuracy")
        parts = [f"{key.replace('_', ' ')} {self.info[key]}" for key in keys if key in self.info]
        return "; " + ", ".join(parts) if parts else ""


def from_network(net):
    """The Model of a network of the slides' shape (Dense, sigmoid, Dense, sigmoid, ...)."""
    from kata.matrix import dense_layers
    dense = dense_layers(net)
    sizes = [dense[0].weight.shape[1]] + [layer.weight.shape[0] for layer in dense]
    return Model(sizes, dense[0].weight.dtype,
                 [layer.weight for layer in dense], [layer.bias for layer in dense])


def save(path, net, info=None):
    """Write ``net`` (or a Model) to ``path`` (``.npz`` is added if missing); return the path.

    The file is written to a temporary name and renamed when complete, so an
    interrupted save never leaves half a model behind.
    """
    model = net if isinstance(net, Model) else from_network(net)
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    arrays = {
        "format": np.array(FORMAT),
        "sizes": np.array(model.sizes, dtype=np.int64),
        "dtype": np.array(np.dtype(model.dtype).name),
        "activation": np.array("sigmoid"),
        "loss": np.array("mse"),
        "info": np.array(json.dumps(info if info is not None else model.info)),
    }
    for i, (weight, bias) in enumerate(zip(model.weights, model.biases)):
        arrays[f"weight_{i}"] = weight
        arrays[f"bias_{i}"] = bias
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            np.savez(stream, **arrays)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _text(archive, key, path):
    value = archive[key]
    if value.shape != () or value.dtype.kind != "U":
        raise ModelFileError(f"{path}: '{key}' should be a text, found an array of "
                             f"shape {value.shape} and dtype {value.dtype}")
    return str(value)


def load(path):
    """Read the model file at ``path``: a Model, or ModelFileError saying what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path}: no such file (save one with "
                             "'python -m kata.train --save PATH')")
    with open(path, "rb") as stream:
        if stream.read(4) != b"PK\x03\x04":  # an .npz is a zip archive
            raise ModelFileError(f"{path}: not a readable .npz model file (not a zip "
                                 "archive; save one with 'python -m kata.train --save PATH')")
    try:
        with np.load(path, allow_pickle=False) as archive:
            return _read(archive, path)
    except ModelFileError:
        raise
    except ValueError as err:
        if "allow_pickle" in str(err):
            raise ModelFileError(f"{path}: refused: it holds pickled Python objects, "
                                 "and a model file holds only plain arrays") from None
        raise ModelFileError(f"{path}: not a readable .npz model file ({err})") from None
    except (OSError, EOFError, zipfile.BadZipFile, KeyError) as err:
        raise ModelFileError(f"{path}: not a readable .npz model file "
                             f"({type(err).__name__}: {err})") from None


def _read(archive, path):
    keys = set(archive.files)
    for key in ("format", "sizes", "dtype"):
        if key not in keys:
            raise ModelFileError(f"{path}: not a model of this kata: no '{key}' in it "
                                 f"(it holds {sorted(keys)})")
    fmt = _text(archive, "format", path)
    if fmt != FORMAT:
        raise ModelFileError(f"{path}: format {fmt!r}, but this kata reads {FORMAT!r}")
    sizes = archive["sizes"]
    if sizes.ndim != 1 or len(sizes) < 2 or sizes.dtype.kind not in "iu" or sizes.min() < 1:
        raise ModelFileError(f"{path}: 'sizes' should list two or more positive layer "
                             f"sizes, found {sizes!r}")
    sizes = [int(size) for size in sizes]
    dtype = _text(archive, "dtype", path)
    if dtype not in DTYPES:
        raise ModelFileError(f"{path}: dtype {dtype!r}; expected one of {DTYPES}")
    for key, expected in (("activation", "sigmoid"), ("loss", "mse")):
        if key in keys and _text(archive, key, path) != expected:
            raise ModelFileError(f"{path}: {key} {_text(archive, key, path)!r}; "
                                 f"this kata's networks use {expected!r}")
    weights, biases = [], []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        for name, shape, out in ((f"weight_{i}", (n_out, n_in), weights),
                                 (f"bias_{i}", (n_out, 1), biases)):
            if name not in keys:
                raise ModelFileError(f"{path}: '{name}' is missing (sizes {sizes} "
                                     f"need weight_0..weight_{len(sizes) - 2} and the biases)")
            array = archive[name]
            if array.shape != shape:
                raise ModelFileError(f"{path}: '{name}' has shape {array.shape}; sizes "
                                     f"{sizes} need {shape}")
            if array.dtype != np.dtype(dtype):
                raise ModelFileError(f"{path}: '{name}' is {array.dtype}, the file says {dtype}")
            if not np.all(np.isfinite(array)):
                raise ModelFileError(f"{path}: '{name}' holds NaN or infinite values "
                                     "(training diverged?)")
            out.append(array)
    extra = keys - {"format", "sizes", "dtype", "activation", "loss", "info"} \
        - {f"weight_{i}" for i in range(len(weights))} - {f"bias_{i}" for i in range(len(biases))}
    if extra:
        raise ModelFileError(f"{path}: unexpected arrays {sorted(extra)} for sizes {sizes}")
    info = {}
    if "info" in keys:
        try:
            info = json.loads(_text(archive, "info", path))
        except json.JSONDecodeError as err:
            raise ModelFileError(f"{path}: 'info' is not valid JSON ({err})") from None
    return Model(sizes, np.dtype(dtype), weights, biases, info)


def build_network(model, package="solutions"):
    """A SequentialNetwork of ``package`` holding the model's weights."""
    from kata.train import build_network as build
    net = build(model.sizes, dtype=model.dtype, package=package)
    for layer, weight, bias in zip(net.layers[0::2], model.weights, model.biases):
        # In place: the layer's params list points at these arrays.
        layer.weight[...] = weight
        layer.bias[...] = bias
    return net


def check_fits(model, n_inputs=784, n_outputs=10):
    """Raise ModelFileError unless the model maps n_inputs pixels to n_outputs classes."""
    if model.sizes[0] != n_inputs or model.sizes[-1] != n_outputs:
        raise ModelFileError(f"the model maps {model.sizes[0]} inputs to {model.sizes[-1]} "
                             f"outputs; the data has {n_inputs} pixels and {n_outputs} classes")
