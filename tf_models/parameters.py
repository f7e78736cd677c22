"""The parameters of a model and their layout (course notation), and their checks.

    logistic regression   {"w": (n_x, 1), "b": scalar}                          layer_dims [n_x, 1]
    networks              {"W1": (n1, n0), "b1": (n1, 1), ..., "WL": (1, n_{L-1}), "bL": (1, 1)}
                                                                                 layer_dims [n0, n1, ..., 1]

``expected_shapes`` and ``layer_dims_of`` go from one description to the other; ``check`` is what
an entry point calls before training or predicting with parameters it was given.
"""
import numpy as np

from tf_models import settings


class SingleUnit(object):
    """Logistic regression's layout: {"w": (n_x, 1), "b": scalar}, layer_dims [n_x, 1]."""

    def expected_shapes(self, layer_dims):
        """{name: shape}: w (n_x, 1), b ()."""
        return {"w": (layer_dims[0], 1), "b": ()}

    def layer_dims_of(self, parameters):
        """[n_x, 1] from w's shape; ValueError unless the keys are w and b."""
        if set(parameters) != {"w", "b"} or np.ndim(parameters["w"]) != 2:
            raise ValueError("logistic regression needs parameters {'w': (n_x, 1), 'b': scalar}; got "
                             "keys %s" % sorted(parameters))
        return [np.shape(parameters["w"])[0], 1]

    def accepts(self, name, shape, want):
        """Shapes that broadcast like the expected one: a 1-element b works as the scalar."""
        return shape == want or (name == "b" and shape in ((1,), (1, 1)))


class Layered(object):
    """A network's layout: W[l] (n_l, n_{l-1}), b[l] (n_l, 1) for l = 1 ... L."""

    def expected_shapes(self, layer_dims):
        """{name: shape} of W1, b1, ..., WL, bL."""
        shapes = {}
        for l in range(1, len(layer_dims)):
            shapes["W%d" % l] = (layer_dims[l], layer_dims[l - 1])
            shapes["b%d" % l] = (layer_dims[l], 1)
        return shapes

    def layer_dims_of(self, parameters):
        """[n0, n1, ..., nL] from the W[l]; ValueError unless the keys are W1, b1, ..., WL, bL."""
        L = len(parameters) // 2
        want = {"%s%d" % (k, l) for l in range(1, L + 1) for k in "Wb"}
        if L < 1 or set(parameters) != want or any(np.ndim(parameters["W%d" % l]) != 2
                                                   for l in range(1, L + 1)):
            raise ValueError("a network needs parameters W1, b1, ..., WL, bL with each W[l] 2-D; "
                             "got keys %s" % sorted(parameters))
        return [np.shape(parameters["W1"])[1]] + [np.shape(parameters["W%d" % l])[0]
                                                  for l in range(1, L + 1)]

    def accepts(self, name, shape, want):
        """Exactly the expected shape."""
        return shape == want


SINGLE_UNIT = SingleUnit()
LAYERED = Layered()


def check(model, parameters, n_x=None, dtype=None):
    """Parameters that fit ``model`` (a ``models.Model``: (keys, chained shapes, one output unit), hold finite floats,
    and, with ``n_x``, take n_x inputs. Returns (layer_dims, parameters as arrays).

    A plain Python number (the course's ``b = 0``) becomes a scalar of ``dtype`` (the data's)."""
    if not isinstance(parameters, dict):
        raise ValueError("parameters must be a dict of arrays such as {'W1': ..., 'b1': ...}; got %s"
                         % type(parameters).__name__)
    dims = model.check_layer_dims(model.layout.layer_dims_of(parameters))
    want = model.layout.expected_shapes(dims)
    got = {k: tuple(np.shape(v)) for k, v in parameters.items()}
    if set(got) != set(want) or not all(model.layout.accepts(k, got[k], want[k]) for k in want):
        raise ValueError("parameters do not fit a %s model: shapes %s, expected %s"
                         % (model.name, _shapes_text(got), _shapes_text(want)))
    arrays = {}
    for name in sorted(parameters):
        value = parameters[name]
        if settings.is_real(value) and not isinstance(value, np.generic):
            value = np.dtype(dtype or np.float64).type(value)  # a Python number: the data's dtype
        value = value if isinstance(value, (np.ndarray, np.generic)) else np.asarray(value)
        if value.dtype not in (np.float32, np.float64):
            raise ValueError("parameter %s has dtype %s; use float32 or float64" % (name, value.dtype))
        if not np.isfinite(value).all():
            raise ValueError("parameter %s contains NaN or inf; start from finite values (e.g. "
                             "models.initial_parameters)" % name)
        arrays[name] = value
    if n_x is not None and dims[0] != n_x:
        raise ValueError("the parameters take n_x = %d inputs but the data have %d features"
                         % (dims[0], n_x))
    return dims, arrays


def _shapes_text(shapes):
    return "{%s}" % ", ".join("%s: %s" % (k, shapes[k]) for k in sorted(shapes))
