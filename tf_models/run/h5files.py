"""The course's HDF5 files (the cat/non-cat layout), read into ``datasets.Dataset``s.

A training file holds ``train_set_x`` (m, 64, 64, 3) uint8 and ``train_set_y`` (m,); a test file
``test_set_x``, ``test_set_y`` and ``list_classes`` (class names as bytes). Images are flattened to
X (12288, m) and scaled to [0, 1]. Every problem with a file is one ValueError naming the file.
"""
import os

import numpy as np

from tf_models import datasets
from tf_models.run import inputs

EXPECTED = "an HDF5 file in the course's cat/non-cat layout"


def read(path, split):
    """Read one file of the course's HDF5 layout: ``<split>_set_x`` (m, ...) and ``<split>_set_y`` (m,).

    Returns X (n_x, m) scaled to [0, 1] (uint8 pixels / 255), Y (1, m), and the class names
    (``list_classes``) or None. Raises ValueError with a one-line reason on any problem.
    """
    import h5py
    inputs.check(path, EXPECTED)
    try:
        f = h5py.File(path, "r")
    except Exception as e:  # h5py raises OSError, some versions other types, for a non-HDF5 file
        raise ValueError("%s: not a readable HDF5 file (%s); expected the course's cat/non-cat "
                         "layout" % (path, _first_line(e)))
    with f:
        x_key, y_key = "%s_set_x" % split, "%s_set_y" % split
        missing = [k for k in (x_key, y_key) if not isinstance(f.get(k), h5py.Dataset)]
        if missing:
            raise ValueError("%s: missing dataset(s) %s; a %s file of the course layout holds %s "
                             "(m, 64, 64, 3) and %s (m,)"
                             % (path, ", ".join(missing), split, x_key, y_key))
        check_declared(path, f[x_key], f[y_key], x_key, y_key)
        try:
            x = np.array(f[x_key])
            y = np.array(f[y_key])
            classes = [c.decode() if isinstance(c, bytes) else str(c)
                       for c in np.array(f["list_classes"])] if "list_classes" in f else None
        except (OSError, IOError, KeyError, ValueError, TypeError, RuntimeError) as e:
            raise ValueError("%s: could not read the data (%s); the file may be truncated"
                             % (path, _first_line(e)))
    y = check_h5_arrays(path, x, y, x_key, y_key)
    X = x.reshape(x.shape[0], -1).T.astype(np.float64)
    if x.dtype == np.uint8:
        X /= 255.0
    Y = y.reshape(1, -1).astype(np.float64)
    return X, Y, classes


def check_declared(path, x, y, x_key, y_key):
    """The datasets' declared shapes and dtypes, checked before a byte is read: numbers, m
    examples in both, and the memory to hold them (the file's values and a float64 copy)."""
    from tf_models.run import memory
    layout = "%s (m, 64, 64, 3) and %s (m,)" % (x_key, y_key)
    for key, d in ((x_key, x), (y_key, y)):
        if d.dtype.kind not in "biuf":
            raise ValueError("%s: %s has dtype %s; the course layout holds numbers: %s"
                             % (path, key, d.dtype, layout))
    if len(x.shape) < 2 or len(y.shape) == 0 or x.shape[0] != y.shape[0]:
        raise ValueError("%s: %s has shape %s and %s has shape %s; expected %s"
                         % (path, x_key, x.shape, y_key, y.shape, layout))
    need = int(np.prod(x.shape, dtype=np.float64) * (x.dtype.itemsize + 3 * 8))
    memory.check_memory(need, "%s (%s of shape %s)" % (path, x_key, x.shape),
                        "use a smaller file or free memory")


def declared_shape(path, split):
    """(n_x, m) as the file declares them, read without loading the data; None when the file
    cannot tell (``read`` then names the problem)."""
    import h5py
    inputs.check(path, EXPECTED)  # a FIFO would block h5py's open
    try:
        with h5py.File(path, "r") as f:
            x = f.get("%s_set_x" % split)
            if isinstance(x, h5py.Dataset) and len(x.shape) >= 2:
                return int(np.prod(x.shape[1:], dtype=np.float64)), int(x.shape[0])
    except Exception:  # not HDF5, unreadable: ``read`` reports it in words
        pass
    return None


def _first_line(e):
    return str(e).splitlines()[0] if str(e).strip() else type(e).__name__


def load(train_path, test_path=None, seed=1, test_fraction=datasets.TEST_FRACTION):
    """The course's HDF5 files as a datasets.Dataset; without ``test_path``, a seeded hold-out split."""
    X_train, Y_train, classes = read(train_path, "train")
    if test_path is None:
        X_train, Y_train, X_test, Y_test = datasets.train_test_split(X_train, Y_train, test_fraction, seed)
    else:
        X_test, Y_test, test_classes = read(test_path, "test")
        classes = classes or test_classes
        if X_test.shape[0] != X_train.shape[0]:
            raise ValueError("%s: test examples have %d features but training examples have %d"
                             % (test_path, X_test.shape[0], X_train.shape[0]))
    name = os.path.basename(train_path)
    return datasets.Dataset(name, X_train, Y_train, X_test, Y_test, "HDF5 " + train_path,
                   classes or ("0", "1"))


def check_h5_arrays(path, x, y, x_key, y_key):
    """The two arrays of one course HDF5 file: x (m, ...) numeric, finite; y (m,) of 0/1, m ≥ 1."""
    layout = "%s (m, 64, 64, 3) and %s (m,)" % (x_key, y_key)
    if x.dtype.kind not in "biuf" or y.dtype.kind not in "biuf":
        raise ValueError("%s: %s has dtype %s and %s has dtype %s; the course layout holds numbers: %s"
                         % (path, x_key, x.dtype, y_key, y.dtype, layout))
    y_flat = y.reshape(-1) if (y.ndim == 2 and 1 in y.shape) else y
    if x.ndim < 2 or y_flat.ndim != 1 or x.shape[0] != y_flat.shape[0]:
        raise ValueError("%s: %s has shape %s and %s has shape %s; expected %s"
                         % (path, x_key, x.shape, y_key, y.shape, layout))
    if x.shape[0] == 0 or x[0].size == 0:
        raise ValueError("%s: no examples (%s has shape %s); expected %s with m ≥ 1"
                         % (path, x_key, x.shape, layout))
    if x.dtype.kind == "f" and not np.isfinite(x).all():
        raise ValueError("%s: %s contains NaN or inf" % (path, x_key))
    ok = (y_flat == 0) | (y_flat == 1)
    if not ok.all():
        raise ValueError("%s: %s must hold labels 0 or 1; it also holds %s"
                         % (path, y_key, ", ".join("%g" % v for v in np.unique(y_flat[~ok])[:5])))
    return y_flat
