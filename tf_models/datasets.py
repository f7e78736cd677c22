"""Datasets, all generated or shipped with scikit-learn: nothing is downloaded.

Every loader returns a ``Dataset`` in course layout: X (n_x, m) float64, Y (1, m) float64 of 0/1,
already split into training and test sets (seeded) and, where the features are on different
scales, standardized with the training set's mean and standard deviation only.

    flower         400 points on the petals of a rose curve, 2 classes (DESIGN.md; the course's 1.3 data)
    moons          400 points, two interleaving half circles (scikit-learn's make_moons, noise 0.2)
    circles        400 points, a circle inside a circle (make_circles, noise 0.1, factor 0.5)
    breast_cancer  569 tumours × 30 features, 1 = benign (scikit-learn's bundled copy)
    digits         1797 8×8 images, binary task: 1 = odd digit, 0 = even digit
    HDF5 files     the course's cat/non-cat layout (``load_h5``)
"""
import os

import numpy as np

from tf_models import validation

DATASETS = ("flower", "moons", "circles", "breast_cancer", "digits")
TEST_FRACTION = 0.25


class Dataset(object):
    """A split dataset: X_train (n_x, m_train), Y_train (1, m_train), X_test, Y_test, and
    ``name``, ``description``, ``classes`` (names of label 0 and 1), ``mean``/``std`` (the
    standardization applied, or None)."""

    def __init__(self, name, X_train, Y_train, X_test, Y_test, description="", classes=("0", "1"),
                 mean=None, std=None):
        self.name, self.description, self.classes = name, description, tuple(classes)
        self.X_train, self.Y_train, self.X_test, self.Y_test = X_train, Y_train, X_test, Y_test
        self.mean, self.std = mean, std

    @property
    def n_x(self):
        return self.X_train.shape[0]

    def astype(self, dtype):
        """The same dataset with X and Y cast to ``dtype`` (float32 or float64)."""
        c = lambda a: a.astype(dtype)  # noqa: E731
        return Dataset(self.name, c(self.X_train), c(self.Y_train), c(self.X_test), c(self.Y_test),
                       self.description, self.classes, self.mean, self.std)


# ---- generators: each returns X (n_x, m), Y (1, m) -------------------------------------------

def flower(m=400, seed=1):
    """The planar "flower": for class j ∈ {0, 1}, m/2 points with
    t = linspace(3.12 j, 3.12 (j + 1)) + 0.2·noise, r = 4 sin(4t) + 0.2·noise, x = (r sin t, r cos t)."""
    rng = np.random.RandomState(seed)
    N = m // 2
    X = np.zeros((2, 2 * N))
    Y = np.zeros((1, 2 * N))
    for j in range(2):
        ix = slice(N * j, N * (j + 1))
        t = np.linspace(3.12 * j, 3.12 * (j + 1), N) + rng.randn(N) * 0.2
        r = 4 * np.sin(4 * t) + rng.randn(N) * 0.2
        X[:, ix] = np.vstack([r * np.sin(t), r * np.cos(t)])
        Y[0, ix] = j
    return X, Y


def _sk_datasets():
    import sklearn.datasets  # imported lazily: it takes a moment
    return sklearn.datasets


def moons(m=400, seed=1):
    """scikit-learn's two moons with Gaussian noise 0.2."""
    X, y = _sk_datasets().make_moons(n_samples=m, noise=0.2, random_state=seed)
    return X.T.astype(np.float64), y.reshape(1, -1).astype(np.float64)


def circles(m=400, seed=1):
    """scikit-learn's concentric circles (noise 0.1, inner radius 0.5)."""
    X, y = _sk_datasets().make_circles(n_samples=m, noise=0.1, factor=0.5, random_state=seed)
    return X.T.astype(np.float64), y.reshape(1, -1).astype(np.float64)


def breast_cancer():
    """Wisconsin breast cancer, 30 features; 1 = benign, 0 = malignant (scikit-learn's labels)."""
    d = _sk_datasets().load_breast_cancer()
    return d.data.T.astype(np.float64), d.target.reshape(1, -1).astype(np.float64)


def digits():
    """8×8 handwritten digits, 64 features (0..16); label 1 for an odd digit, 0 for an even one."""
    d = _sk_datasets().load_digits()
    return d.data.T.astype(np.float64), (d.target % 2).reshape(1, -1).astype(np.float64)


# ---- splitting and scaling ----------------------------------------------------------------------

def train_test_split(X, Y, test_fraction=TEST_FRACTION, seed=1):
    """A seeded random split of the columns. Returns X_train, Y_train, X_test, Y_test.

    Needs at least 2 examples, so that both sets are non-empty.
    """
    m = validation.check_split_size(X.shape[1])
    if not 0 < test_fraction < 1:
        raise ValueError("test_fraction must be between 0 and 1; got %r" % (test_fraction,))
    m_test = min(max(1, int(round(m * test_fraction))), m - 1)
    perm = np.random.RandomState(seed).permutation(m)
    test, train = perm[:m_test], perm[m_test:]
    return X[:, train], Y[:, train], X[:, test], Y[:, test]


def standardize(X_train, X_test):
    """(X − μ) / σ per feature, μ and σ from the training set only (constant features: σ = 1).

    Returns X_train, X_test, mean (n_x, 1), std (n_x, 1)."""
    mean = X_train.mean(axis=1, keepdims=True)
    std = X_train.std(axis=1, keepdims=True)
    std[std == 0] = 1.0
    return (X_train - mean) / std, (X_test - mean) / std, mean, std


# ---- the one entry point --------------------------------------------------------------------------

_BUILTIN = {
    # name: (loader(seed), standardize?, description, class names)
    "flower": (lambda s: flower(seed=s), False, "planar flower, 400 points, 2 classes",
               ("red", "blue")),
    "moons": (lambda s: moons(seed=s), False, "two moons, 400 points", ("moon 0", "moon 1")),
    "circles": (lambda s: circles(seed=s), False, "two circles, 400 points", ("outer", "inner")),
    "breast_cancer": (lambda s: breast_cancer(), True, "breast cancer (scikit-learn), 1 = benign",
                      ("malignant", "benign")),
    "digits": (lambda s: digits(), True, "digits (scikit-learn), binary: 1 = odd digit",
               ("even", "odd")),
}


def load_dataset(name, seed=1, test_fraction=TEST_FRACTION):
    """A built-in dataset by name, split (and standardized where needed) reproducibly from ``seed``."""
    validation.check_dataset(name)
    validation.check_seed(seed)
    loader, scale, description, classes = _BUILTIN[name]
    X, Y = loader(seed)
    X_train, Y_train, X_test, Y_test = train_test_split(X, Y, test_fraction, seed)
    mean = std = None
    if scale:
        X_train, X_test, mean, std = standardize(X_train, X_test)
    return Dataset(name, X_train, Y_train, X_test, Y_test, description, classes, mean, std)


def read_h5(path, split):
    """Read one file of the course's HDF5 layout: ``<split>_set_x`` (m, ...) and ``<split>_set_y`` (m,).

    Returns X (n_x, m) scaled to [0, 1] (uint8 pixels / 255), Y (1, m), and the class names
    (``list_classes``) or None. Raises ValueError with a one-line reason on any problem.
    """
    import h5py
    if not os.path.isfile(path):
        raise ValueError("%s: %s (expected an HDF5 file in the course's cat/non-cat layout)"
                         % (path, "is a directory" if os.path.isdir(path) else
                            "is not a regular file" if os.path.exists(path) else "no such file"))
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
        try:
            x = np.array(f[x_key])
            y = np.array(f[y_key])
            classes = [c.decode() if isinstance(c, bytes) else str(c)
                       for c in np.array(f["list_classes"])] if "list_classes" in f else None
        except (OSError, IOError, KeyError, ValueError, TypeError, RuntimeError) as e:
            raise ValueError("%s: could not read the data (%s); the file may be truncated"
                             % (path, _first_line(e)))
    y = validation.check_h5_arrays(path, x, y, x_key, y_key)
    X = x.reshape(x.shape[0], -1).T.astype(np.float64)
    if x.dtype == np.uint8:
        X /= 255.0
    Y = y.reshape(1, -1).astype(np.float64)
    return X, Y, classes


def _first_line(e):
    return str(e).splitlines()[0] if str(e).strip() else type(e).__name__


def load_h5(train_path, test_path=None, seed=1, test_fraction=TEST_FRACTION):
    """The course's HDF5 files as a Dataset; without ``test_path``, a seeded hold-out split."""
    X_train, Y_train, classes = read_h5(train_path, "train")
    if test_path is None:
        X_train, Y_train, X_test, Y_test = train_test_split(X_train, Y_train, test_fraction, seed)
    else:
        X_test, Y_test, test_classes = read_h5(test_path, "test")
        classes = classes or test_classes
        if X_test.shape[0] != X_train.shape[0]:
            raise ValueError("%s: test examples have %d features but training examples have %d"
                             % (test_path, X_test.shape[0], X_train.shape[0]))
    name = os.path.basename(train_path)
    return Dataset(name, X_train, Y_train, X_test, Y_test, "HDF5 " + train_path,
                   classes or ("0", "1"))
