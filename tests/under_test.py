"""The one switch: which package the graded tests check.

``KATA_PACKAGE=exercises`` (the default, ``tox -e grade``) grades your work;
``KATA_PACKAGE=solutions`` (``tox -e solutions``) runs the same tests against
the reference. Tests write ``from under_test import layers``; each module is
imported only when a test asks for it, so an error in one exercise file does
not stop the tests of the others.
"""
import importlib
import os

PACKAGES = ("exercises", "solutions")
MODULES = ("load_mnist", "average_digits", "losses", "layers", "network")

PACKAGE = os.environ.get("KATA_PACKAGE", "exercises")
if PACKAGE not in PACKAGES:
    raise ImportError(
        f"KATA_PACKAGE={PACKAGE!r} is not a package of the kata: "
        "use 'exercises' (grade your work) or 'solutions' (the reference)."
    )


def __getattr__(name):
    if name in MODULES:
        return importlib.import_module(f"{PACKAGE}.{name}")
    raise AttributeError(f"module 'under_test' has no attribute {name!r}")
