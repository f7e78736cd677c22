"""Stand-ins for the helper modules the exercises import (``from dnn_utils import sigmoid, ...``).

The exercise notebooks import helpers that ship beside them, not with this project. Where such an
import fails in the checker, the names the exercises' functions use are provided as those modules
define them: dnn_utils' (and dnn_app_utils') activations return (A, cache = Z) and each backward step
takes (dA, cache = Z); planar_utils' sigmoid returns A alone. Other names are left undefined, and a
learner function that needs one reports a NameError.

These run inside the sandbox (contained.py), where the project's own modules are not, so each is
written here with NumPy alone, as the course's helper module writes it.
"""
import ast
import importlib.abc
import importlib.machinery
import sys
import types

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


def sigmoid_alone(Z):
    """A = σ(Z), as planar_utils defines it: A alone, without a cache."""
    return 1 / (1 + np.exp(-Z))


PROVIDED = {"sigmoid": sigmoid, "relu": relu, "sigmoid_backward": sigmoid_backward,
            "relu_backward": relu_backward}
# What each helper module (by the start of its name: dnn_utils_v2 too) provides here.
PROVIDED_BY = {"dnn_utils": PROVIDED, "dnn_app_utils": PROVIDED,
               "planar_utils": {"sigmoid": sigmoid_alone}}


def is_helper_module(name):
    """Whether ``name`` is one of the exercises' helper modules (``dnn_utils_v2``, ``testCases``)."""
    return (name or "").startswith(HELPER_MODULES)


def provided_by(module):
    """{name: object} that the stand-in of ``module`` defines (empty for most helper modules)."""
    for prefix, names in PROVIDED_BY.items():
        if (module or "").startswith(prefix):
            return names
    return {}


def stand_in(import_source, namespace):
    """For a failed import of a course helper module, define the names we provide: for ``from
    <module> import ...`` those of its names we have (the learner's own definitions come later and
    win), for ``import <module> [as m]`` a module that holds them."""
    try:
        nodes = ast.parse(import_source).body  # one import, or several (``import a; import b``)
    except SyntaxError:
        return
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and not node.level and is_helper_module(node.module):
            names = provided_by(node.module)
            wanted = [a.name for a in node.names]
            for name in (names if "*" in wanted else wanted):
                if name in names:
                    namespace[name] = names[name]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if is_helper_module(alias.name) and "." not in alias.name:
                    namespace[alias.asname or alias.name] = _module(alias.name)


def _module(name):
    module = types.ModuleType(name, "the checker's stand-in for the exercises' %s" % name)
    module.__dict__.update(provided_by(name))
    return module


class _StandIns(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports of helper modules that are nowhere on the path find their stand-ins (the last finder
    asked: a real module of that name wins)."""

    def find_spec(self, name, path, target=None):
        if path is None and is_helper_module(name) and provided_by(name):
            return importlib.machinery.ModuleSpec(name, self)
        return None

    def create_module(self, spec):
        return _module(spec.name)

    def exec_module(self, module):
        pass


def install():
    """Make ``import dnn_utils`` inside a learner's function find the stand-in (in the child)."""
    if not any(isinstance(f, _StandIns) for f in sys.meta_path):
        sys.meta_path.append(_StandIns())


def imported(import_sources):
    """The names a file imports from the course's helper modules (they are given, not asked of it)."""
    names = set()
    for source in import_sources:
        try:
            nodes = ast.parse(source).body
        except SyntaxError:
            continue
        for node in nodes:
            if isinstance(node, ast.ImportFrom) and not node.level and is_helper_module(node.module):
                names.update(a.asname or a.name for a in node.names)
    return names
