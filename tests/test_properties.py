"""Property-based tests (hypothesis).

1. Parity on random shapes and dtypes: for any small model, data and starting point, the NumPy
   reference and the TF graph agree on the forward pass ŷ, the cost J and every gradient.
2. Random malformed input to the library ends in a one-line ValueError, never another
   exception, and a valid input is never refused.
3. Random malformed HDF5 files end in a one-line ValueError or load as sane data.
4. Random bad command-line values end in exit status 2 and exactly one ``error:`` line.

Example counts are small (a TF graph takes a moment to build) and there is no deadline.
"""
import contextlib
import math
import os
import shutil
import tempfile

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from bad_inputs import course_h5, truncated_copy
from conftest import RTOL, assert_one_error_line, call_script
from tf_models import datasets, models
from tf_models.run import h5files
from tf_models.activations import HIDDEN_ACTIVATIONS
from tf_models.reference import deep as np_deep
from tf_models.reference import logistic as np_logistic
from tf_models.reference import shallow as np_shallow

NP = {"logistic": np_logistic, "shallow": np_shallow, "deep": np_deep}
FEW = settings(max_examples=15, deadline=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


# ---- 1. parity on random shapes and dtypes ---------------------------------------------------

@st.composite
def problems(draw):
    """(model, dims, activation, dtype, parameters, X, Y): a small random model and data set."""
    model = draw(st.sampled_from(sorted(NP)))
    dtype = draw(st.sampled_from(["float32", "float64"]))
    n_x, m = draw(st.integers(1, 4)), draw(st.integers(1, 6))
    hidden = {"logistic": [], "shallow": draw(st.lists(st.integers(1, 4), min_size=1, max_size=1)),
              "deep": draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))}[model]
    dims = [n_x] + hidden + [1]
    activation = draw(st.sampled_from(HIDDEN_ACTIVATIONS)) if model != "logistic" else None
    rng = np.random.RandomState(draw(st.integers(0, 2 ** 16)))
    scale = draw(st.sampled_from([0.1, 1.0, 3.0]))
    p = models.initial_parameters(model, dims, "xavier", 1, dtype)
    for k in sorted(p):  # random weights and biases, so that no gradient is trivially zero
        p[k] = np.asarray(rng.randn(*np.shape(p[k])) * scale).astype(dtype)
        if np.ndim(p[k]) == 0:
            p[k] = np.dtype(dtype).type(p[k])
    X = rng.randn(n_x, m).astype(dtype)
    Y = (rng.rand(1, m) > 0.5).astype(dtype)
    return model, dims, activation, dtype, p, X, Y


def numpy_side(model, activation, p, X, Y):
    kw = {} if model == "logistic" else {"activation": activation}
    return (models.predict_proba(model, p, X, activation), NP[model].cost(p, X, Y, **kw),
            NP[model].propagate(p, X, Y, **kw))


def tf_side(model, activation, dtype, p, X, Y):
    from tf_models.graphs import session
    graph = models.build_graph(model, p, 0.1, activation, dtype)
    sess = session.open_session(graph, X, Y)
    try:
        return sess.run([graph.A, graph.cost, graph.grads])
    finally:
        sess.close()


def problem_scales(model, activation, p, X):
    """The scale of each quantity compared, from the magnitudes of the inputs and parameters:
    what it would be if no term cancelled (a bound on each element). Rounding errs by a few
    ulps of these, in NumPy and TF alike, each rounding its own way.

        M[0] = |X|;  S[l] = |W[l]| M[l-1] + |b[l]|  (a bound on |Z[l]|)
        M[l] = min(S[l], 1) for tanh, sigmoid and the output σ; S[l] for ReLU and leaky ReLU
        D[L] = 1 (|dZ[L]| = |A − Y| ≤ 1);  D[l-1] = |W[l]|ᵀ D[l]  (|g'| ≤ 1 for all four)
        dW[l]: D[l] M[l-1]ᵀ / m;  db[l]: Σ D[l] / m;  A: 1;  J: 1 + max S[L]

    Where σ saturates to exactly 1.0, NumPy's dZ[L] = A − Y is exactly 0 and TF's about 1e-22:
    both are 0 at this scale, whereas the gradient's own size (1e-12, say) would call them apart.
    """
    m = X.shape[1]
    if model == "logistic":
        Ws, bs, names = [np.asarray(p["w"]).T], [p["b"]], [("dw", "db")]
    else:
        L = len(p) // 2
        Ws = [p["W%d" % l] for l in range(1, L + 1)]
        bs = [p["b%d" % l] for l in range(1, L + 1)]
        names = [("dW%d" % l, "db%d" % l) for l in range(1, L + 1)]
    Ws = [np.abs(np.asarray(W, np.float64)) for W in Ws]
    bs = [np.abs(np.asarray(b, np.float64)) for b in bs]
    M, S = [np.abs(X.astype(np.float64))], None
    for l, (W, b) in enumerate(zip(Ws, bs)):
        S = W.dot(M[-1]) + b
        bounded = l == len(Ws) - 1 or activation in ("tanh", "sigmoid")
        M.append(np.minimum(S, 1.0) if bounded else S)
    scales = {"A": np.ones((1, m)), "J": 1.0 + np.max(S)}
    D = np.ones((1, m))
    for l in reversed(range(len(Ws))):
        dW, db = names[l]
        scales[dW] = D.dot(M[l].T) / m
        scales[db] = np.sum(D, axis=1, keepdims=True) / m
        D = Ws[l].T.dot(D)
    if model == "logistic":
        scales["dw"], scales["db"] = scales["dw"].T, scales["db"].item()
    return scales


def assert_close_at_scale(name, mine, theirs, scale, tol, where):
    """|NumPy − TF| ≤ tol · scale, element by element; the message names the tensor."""
    a, b = np.asarray(mine, np.float64), np.asarray(theirs, np.float64)
    assert a.shape == b.shape, "%s: shape %s (NumPy) vs %s (TF); %s" % (name, a.shape, b.shape, where)
    excess = np.abs(a - b) - tol * np.broadcast_to(scale, a.shape)
    worst = np.unravel_index(np.argmax(excess), a.shape) if a.size else None
    assert a.size == 0 or excess[worst] <= 0, (
        "%s%s: NumPy %r vs TF %r differ by more than %g x the problem's scale %r; %s"
        % (name, list(worst), a[worst], b[worst], tol, np.broadcast_to(scale, a.shape)[worst],
           where))


def saturated(model, dims, activation):
    """A problem where σ gives exactly 1.0 (weights 5, inputs 4, every label 1): NumPy's
    gradients are exactly 0 there, TF's about 1e-20."""
    p = models.initial_parameters(model, dims, "xavier", 1, "float64")
    p = {k: np.full(np.shape(v), 5.0) if np.ndim(v) else np.float64(5.0) for k, v in p.items()}
    return model, dims, activation, "float64", p, np.full((dims[0], 3), 4.0), np.ones((1, 3))


@FEW
@given(problems())
@example(saturated("logistic", [2, 1], None))
@example(saturated("shallow", [2, 3, 1], "tanh"))
def test_numpy_and_tf_agree_on_random_shapes_and_dtypes(problem):
    """Compared at the scale of the problem (``problem_scales``), in float64 and float32 alike,
    saturated networks included."""
    model, dims, activation, dtype, p, X, Y = problem
    A_np, J_np, g_np = numpy_side(model, activation, p, X, Y)
    A_tf, J_tf, g_tf = tf_side(model, activation, dtype, p, X, Y)
    scale = problem_scales(model, activation, p, X)
    tol = RTOL[dtype] * (10 if dtype == "float32" else 1)
    where = "%s %s %s %s" % (model, dims, activation, dtype)
    # forward: ŷ
    assert_close_at_scale("A", A_np, A_tf, scale["A"], tol, where)
    # cost: J
    assert_close_at_scale("J", J_np, J_tf, scale["J"], tol, where)
    # gradients: every dW[l], db[l] (or dw, db)
    assert sorted(g_np) == sorted(g_tf), where
    for name in sorted(g_np):
        assert_close_at_scale(name, g_np[name], g_tf[name], scale[name], tol, where)


# ---- 2. malformed input to the library --------------------------------------------------------

def _set(key, index, value):
    def corrupt(c):
        c[key][index] = value
    return corrupt


def _labels_1_and_2(c):
    """The learner's classes numbered 1 and 2 (at least one 2, whatever the draw)."""
    c["Y"] = c["Y"] + 1
    c["Y"][0, 0] = 2


def _nan_parameter(c):
    last = sorted(c["p"])[-1]
    c["p"] = dict(c["p"], **{last: np.full(np.shape(c["p"][last]), np.nan)})


# Applied in this order: values first, then shapes, then types (so each still finds an array).
CORRUPTIONS = [
    ("NaN in X", _set("X", (0, -1), np.nan)),
    ("inf in X", _set("X", (-1, 0), -np.inf)),
    ("label 0.5", _set("Y", (0, 0), 0.5)),
    ("NaN label", _set("Y", (0, -1), np.nan)),
    ("labels 1 and 2", _labels_1_and_2),
    ("NaN parameter", _nan_parameter),
    ("a parameter missing", lambda c: c["p"].pop(sorted(c["p"])[0])),
    ("learning rate <= 0", lambda c: c.update(lr=-0.1 * c["zero_or_one"])),
    ("learning rate nan", lambda c: c.update(lr=float("nan"))),
    ("iterations 0", lambda c: c.update(iterations=0)),
    ("iterations float", lambda c: c.update(iterations=2.0)),
    ("unknown activation", lambda c: c.update(activation="gelu")),
    ("wrong n_x", lambda c: c.update(X=np.vstack([c["X"], c["X"][:1]]))),
    ("Y one label short", lambda c: c.update(Y=c["Y"][:, 1:])),
    ("no examples", lambda c: c.update(X=c["X"][:, :0], Y=c["Y"][:, :0])),
    ("X transposed", lambda c: c.update(X=c["X"].T.copy() if c["X"].shape[0] != c["X"].shape[1]
                                        else c["X"][:, :0])),
    ("Y one-dimensional", lambda c: c.update(Y=c["Y"].ravel())),
    ("X of ints", lambda c: c.update(X=c["X"].astype(np.int32))),
    ("X float16", lambda c: c.update(X=c["X"].astype(np.float16))),
    ("X complex", lambda c: c.update(X=c["X"].astype(np.complex128))),
    ("X one-dimensional", lambda c: c.update(X=c["X"].ravel())),
    ("X a list", lambda c: c.update(X=c["X"].tolist())),
]
ORDER = [name for name, _ in CORRUPTIONS]


@st.composite
def malformed(draw):
    """A valid training call with 0 to 2 corruptions applied: (call dict, corruptions)."""
    model = draw(st.sampled_from(sorted(NP)))
    dtype = draw(st.sampled_from(["float32", "float64"]))
    n_x, m = draw(st.integers(1, 4)), draw(st.integers(1, 5))
    dims = [n_x] + {"logistic": [], "shallow": [3], "deep": [3, 2]}[model] + [1]
    rng = np.random.RandomState(draw(st.integers(0, 1000)))
    c = {"model": model, "X": rng.randn(n_x, m).astype(dtype),
         "Y": (rng.rand(1, m) > 0.5).astype(dtype), "lr": 0.1, "iterations": 2,
         "activation": "tanh" if model != "logistic" else None,
         "zero_or_one": draw(st.sampled_from([0, 1])),
         "p": models.initial_parameters(model, dims, "he", 1, dtype)}
    names = draw(st.lists(st.sampled_from(ORDER), max_size=2, unique=True))
    if model == "logistic":
        names = [n for n in names if n != "unknown activation"]  # logistic takes no activation
    for name, corrupt in CORRUPTIONS:
        if name in names:
            corrupt(c)
    return c, names


def call_train(fn, c):
    return fn(c["model"], c["X"], c["Y"], c["p"], c["lr"], c["iterations"], c["activation"],
              record_every=1)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(malformed())
def test_malformed_library_input_ends_in_one_clear_valueerror(case):
    c, names = case
    try:
        call_train(models.train_numpy, c)
    except ValueError as e:
        assert names, "a valid call was refused: %s" % e
        assert str(e) and "\n" not in str(e)
        with pytest.raises(ValueError) as info:  # TF refuses it as well, before any graph
            call_train(models.train_tf, c)
        assert str(info.value) == str(e)
    else:
        assert not names, "accepted despite %s" % names


# ---- 3. malformed HDF5 files ---------------------------------------------------------------------

@contextlib.contextmanager
def scratch_dir():
    d = tempfile.mkdtemp()
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


@st.composite
def h5_contents(draw):
    keys = draw(st.sets(st.sampled_from(["train_set_x", "train_set_y", "list_classes", "X"]),
                        min_size=1))
    x_shape = tuple(draw(st.lists(st.integers(0, 3), max_size=4)))
    y_shape = tuple(draw(st.lists(st.integers(0, 4), max_size=2)))
    x_dtype = draw(st.sampled_from(["uint8", "float64", "int32", "S2"]))
    y_values = draw(st.sampled_from([[0, 1], [1, 2], [0.5], [np.nan], [-1, 0]]))
    return keys, x_shape, y_shape, x_dtype, y_values


@FEW
@given(h5_contents())
def test_malformed_course_files_end_in_one_clear_valueerror(contents):
    import h5py
    keys, x_shape, y_shape, x_dtype, y_values = contents
    rng = np.random.RandomState(0)
    with scratch_dir() as d:
        path = os.path.join(d, "train.h5")
        with h5py.File(path, "w") as f:
            for k in keys:
                if k == "list_classes":
                    f.create_dataset(k, data=np.array([b"non-cat", b"cat"]))
                elif k.endswith("_y"):
                    f.create_dataset(k, data=rng.choice(y_values, size=y_shape))
                else:
                    x = np.asarray(rng.randint(0, 200, size=x_shape))
                    f.create_dataset(k, data=x.astype(x_dtype))
        try:
            ds = h5files.load(path)
        except ValueError as e:
            assert str(e) and "\n" not in str(e)
        else:  # it loaded: then it is a sane data set
            for X, Y in [(ds.X_train, ds.Y_train), (ds.X_test, ds.Y_test)]:
                datasets.check_data(X, Y)


@FEW
@given(st.floats(0.0, 0.999))
def test_a_truncated_course_file_never_loads_silently(fraction):
    with scratch_dir() as d:
        good = course_h5(os.path.join(d, "good.h5"), m=10, shape=(3, 3, 3))
        cut = truncated_copy(good, os.path.join(d, "cut.h5"), fraction)
        with pytest.raises(ValueError) as info:
            h5files.load(cut)
        assert "cut.h5" in str(info.value) and "\n" not in str(info.value)


# ---- 4. bad command-line values ---------------------------------------------------------------

def _not(accept):
    """A predicate true for text that ``accept`` raises on (so the value is surely bad)."""
    def bad(text):
        try:
            return not accept(text)
        except Exception:
            return True
    return bad


def _positive_finite(text):
    return float(text) > 0 and math.isfinite(float(text))


def _whole_at_least_1(text):
    return int(text) >= 1


def _seed(text):
    return 0 <= int(text) < 2 ** 32


def _layer_dims(text):
    dims = [int(t) for t in text.split(",")]
    return all(n >= 1 for n in dims) and dims[-1] == 1


TEXT = st.text(max_size=12)
BAD_VALUES = {
    "--learning-rate": st.one_of(st.floats(max_value=0).map(repr),
                                 st.sampled_from(["nan", "inf", "-inf", "", "1e400"]),
                                 TEXT.filter(_not(_positive_finite))),
    "--iterations": st.one_of(st.integers(max_value=0).map(str), TEXT.filter(_not(_whole_at_least_1))),
    "--print-every": st.one_of(st.integers(max_value=0).map(str), TEXT.filter(_not(_whole_at_least_1))),
    "--seed": st.one_of(st.integers(max_value=-1).map(str), st.integers(min_value=2 ** 32).map(str),
                        TEXT.filter(_not(_seed))),
    "--hidden-units": st.one_of(st.integers(max_value=0).map(str),
                                st.integers(min_value=10 ** 8).map(str),
                                TEXT.filter(_not(_whole_at_least_1))),
    "--layer-dims": st.one_of(st.lists(st.integers(-3, 5), min_size=1, max_size=4).map(
        lambda d: ",".join(map(str, d))).filter(_not(_layer_dims)), TEXT.filter(_not(_layer_dims))),
    "--dataset": TEXT.filter(lambda t: t not in datasets.DATASETS),
    "--dtype": TEXT.filter(lambda t: t not in models.DTYPES),
    "--activation": TEXT.filter(lambda t: t not in HIDDEN_ACTIVATIONS),
    "--init": TEXT.filter(lambda t: t not in ("randn", "uniform", "zeros", "large", "xavier", "he")),
    "--backend": TEXT.filter(lambda t: t not in models.BACKENDS),
    "--data": st.text(min_size=1, max_size=12).map(lambda t: os.path.join(tempfile.gettempdir(),
                                                                          "no-such-dir-7", t)),
}
SCRIPT_OF = {"--hidden-units": "train_shallow", "--layer-dims": "train_deep", "--init": "train_deep",
             "--activation": "train_shallow"}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(BAD_VALUES)).flatmap(lambda flag: st.tuples(st.just(flag),
                                                                          BAD_VALUES[flag])))
def test_bad_command_line_values_give_status_2_and_one_error_line(flag_value):
    flag, value = flag_value
    assume("\x00" not in value)  # a process cannot receive a NUL in its arguments
    name = SCRIPT_OF.get(flag, "train_logistic")
    argv = ["%s=%s" % (flag, value), "--backend=numpy", "--iterations=1", "--run-dir=" +
            os.path.join(tempfile.gettempdir(), "never-created-7")]
    if flag in ("--iterations", "--backend"):
        argv = argv[:1] + [a for a in argv[1:] if not a.startswith(flag)]
    ran = call_script(name, *argv)
    assert_one_error_line(ran.status, ran.err)
    assert not os.path.exists(os.path.join(tempfile.gettempdir(), "never-created-7"))
