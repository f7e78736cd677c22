"""Datasets, all generated or shipped with scikit-learn: nothing is downloaded.

Every loader returns a ``Dataset`` in course layout: X (n_x, m) float64, Y (1, m) float64 of 0/1,
already split into training and test sets (seeded) and, where the features are on different
scales, standardized with the training set's mean and standard deviation only.

    flower         400 points on the petals of a rose curve, 2 classes (DESIGN.md; the course's 1.3 data)
    moons          400 points, two interleaving half circles (scikit-learn's make_moons, noise 0.2)
    circles        400 points, a circle inside a circle (make_circles, noise 0.1, factor 0.5)
    breast_cancer  569 tumours × 30 features, 1 = benign (scikit-learn's bundled copy)
    digits         1797 8×8 images, binary task: 1 = odd digit, 0 = even digit
    HDF5 files     the course's cat/non-cat layout (``tf_models.run.h5files``)

``check_X``, ``check_Y`` and ``check_data`` are the checks every entry point applies to data it is
given: one ValueError naming the problem (a transposed X, labels other than 0/1, NaN, ...).
"""
import numpy as np

from tf_models import settings

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


# ---- checks of data in course layout -----------------------------------------------------------

def check_X(X, n_x=None):
    """X: a 2-D NumPy array (n_x, m) of float32 or float64, m ≥ 1, all finite.

    With ``n_x`` given, X must have that many rows (the model's input size)."""
    if not isinstance(X, np.ndarray):
        raise ValueError("X must be a NumPy array of shape (n_x, m), one example per column; got %s"
                         " (convert it with np.array(X, dtype='float64'))" % type(X).__name__)
    if X.ndim != 2:
        raise ValueError("X must be 2-D with shape (n_x, m), one example per column; got shape %s%s"
                         % (X.shape, " (use X.reshape(1, -1) for one feature)" if X.ndim == 1 else ""))
    if X.dtype not in (np.float32, np.float64):
        raise ValueError("X has dtype %s; use float32 or float64 (e.g. X.astype('float64'))"
                         % X.dtype)
    if X.size == 0:
        raise ValueError("X is empty (shape %s); it needs at least one feature and one example"
                         % (X.shape,))
    if n_x is not None and X.shape[0] != n_x:
        raise ValueError("X has %d rows (features) but the parameters expect n_x = %d; X must be "
                         "(n_x, m), one example per column%s"
                         % (X.shape[0], n_x, " (is X transposed?)" if X.shape[1] == n_x else ""))
    if not np.isfinite(X).all():
        bad = np.argwhere(~np.isfinite(X))[0]
        raise ValueError("X contains NaN or inf (first at row %d, column %d); remove or impute those"
                         " values" % (bad[0], bad[1]))
    return X


def check_Y(Y, m=None):
    """Y: a NumPy array (1, m) of 0/1 labels (any real dtype)."""
    if not isinstance(Y, np.ndarray):
        raise ValueError("Y must be a NumPy array of shape (1, m) holding 0/1 labels; got %s"
                         % type(Y).__name__)
    if Y.ndim != 2 or Y.shape[0] != 1 or (m is not None and Y.shape[1] != m):
        want = "(1, %d)" % m if m is not None else "(1, m)"
        raise ValueError("Y must have shape %s, one label per column of X; got shape %s%s"
                         % (want, Y.shape, " (use Y.reshape(1, -1))" if Y.size == m else ""))
    if Y.dtype.kind not in "biuf":
        raise ValueError("Y has dtype %s; labels must be numbers 0 or 1" % Y.dtype)
    if Y.size == 0:
        raise ValueError("Y is empty; it needs at least one label")
    ok = (Y == 0) | (Y == 1)
    if not ok.all():
        found = np.unique(Y[~ok])[:5]
        raise ValueError("labels must be 0 or 1; Y also holds %s (map your two classes to 0 and 1)"
                         % ", ".join("%g" % v for v in found))
    return Y


def check_data(X, Y, n_x=None):
    """X (n_x, m) and Y (1, m) that agree: see ``check_X`` and ``check_Y``. Returns (X, Y)."""
    check_X(X, n_x)
    m = X.shape[1]
    if isinstance(Y, np.ndarray) and Y.ndim == 2 and Y.shape[0] == 1 and Y.shape[1] != m:
        hint = " (is X transposed?)" if X.shape[0] == Y.shape[1] else ""
        raise ValueError("X has %d examples (columns) but Y has %d labels; X must be (n_x, m) and Y "
                         "(1, m)%s" % (m, Y.shape[1], hint))
    check_Y(Y, m)
    return X, Y


def check_split_size(m):
    """At least 2 examples, so that a training and a test set are both non-empty."""
    if m < 2:
        raise ValueError("need at least 2 examples to split into a training and a test set; got %d"
                         " (pass a separate test file, or more data)" % m)
    return m


# ---- splitting and scaling ----------------------------------------------------------------------

def train_test_split(X, Y, test_fraction=TEST_FRACTION, seed=1):
    """A seeded random split of the columns. Returns X_train, Y_train, X_test, Y_test.

    Needs at least 2 examples, so that both sets are non-empty.
    """
    m = check_split_size(X.shape[1])
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
    settings.check_choice(name, DATASETS, "dataset")
    settings.check_seed(seed)
    loader, scale, description, classes = _BUILTIN[name]
    X, Y = loader(seed)
    X_train, Y_train, X_test, Y_test = train_test_split(X, Y, test_fraction, seed)
    mean = std = None
    if scale:
        X_train, X_test, mean, std = standardize(X_train, X_test)
    return Dataset(name, X_train, Y_train, X_test, Y_test, description, classes, mean, std)
