"""Stand-ins for the helper modules the exercises import (``from dnn_utils import sigmoid, ...``).

The exercise notebooks import helpers that ship beside them, not with this project. Where such an
import fails in the checker, the names the deep exercise uses are provided as that module defines
them (each activation returns (A, cache = Z); each backward step takes (dA, cache = Z)); other
names are left undefined, and a learner function that needs one reports a NameError.

These run inside the sandbox (contained.py), where the project's own modules are not, so each is
written here with NumPy alone, as the course's helper module writes it.
"""
import ast

import numpy as np

HELPER_MODULES = ("dnn_utils", "dnn_app_utils", "testCases", "planar_utils", "lr_utils",
                  "public_tests", "test_utils")


def sigmoid(Z):
    """A = σ(Z) = 1 / (1 + e^(−Z)); returns (A, cache = Z)."""
    return 1 / (1 + np.exp(-Z)), Z


def relu(Z):
    """A = max(0, Z); returns (A, cache = Z)."""
    return np.maximum(0, Z), Z


def sigmoid_backward(dA, cache):
    """dZ = dA * σ(Z)(1 − σ(Z)), with Z = cache."""
    A = 1 / (1 + np.exp(-np.asarray(cache, dtype=np.float64)))
    return dA * A * (1 - A)


def relu_backward(dA, cache):
    """dZ = dA where Z > 0, else 0, with Z = cache."""
    return dA * (np.asarray(cache, dtype=np.float64) > 0)


PROVIDED = {"sigmoid": sigmoid, "relu": relu, "sigmoid_backward": sigmoid_backward,
            "relu_backward": relu_backward}


def stand_in(import_source, namespace):
    """For a failed ``from <course helper module> import ...``, define the names we provide
    (those the learner has not defined themselves: their own definitions come later and win)."""
    try:
        node = ast.parse(import_source).body[0]
    except (SyntaxError, IndexError):
        return
    if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith(HELPER_MODULES):
        return
    wanted = [a.name for a in node.names]
    for name in (PROVIDED if "*" in wanted else wanted):
        if name in PROVIDED:
            namespace[name] = PROVIDED[name]


def imported(import_sources):
    """The names a file imports from the course's helper modules (they are given, not asked of it)."""
    names = set()
    for source in import_sources:
        try:
            nodes = ast.parse(source).body
        except SyntaxError:
            continue
        for node in nodes:
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(HELPER_MODULES):
                names.update(a.asname or a.name for a in node.names)
    return names
