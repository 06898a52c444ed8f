"""Your work: the network of the slides, exercise by exercise.

Fill in the nine stubs (each says ``# TODO:`` and raises
NotImplementedError), in the order of kata/exercises.toml, and run
``tox -e grade`` to see where you stand. ``solutions/`` has the same files,
complete.
"""
