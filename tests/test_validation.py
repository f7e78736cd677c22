"""Every bad input to the library meets one ValueError that names the problem.

Each case is checked where a learner meets it: the uniform API (``models``), the NumPy
references' ``model`` functions, the graph builders, and the dataset and parameter-file readers.
A message must be one line and contain the words that say what is wrong.
"""
import numpy as np
import pytest

from bad_inputs import bad_h5_files, course_h5
from conftest import toy_data
from tf_models import datasets, models
from tf_models.run import h5files
from tf_models.run import params_io


def raises_clearly(fn, *words):
    """fn() raises ValueError whose message is one line containing every word in ``words``."""
    with pytest.raises(ValueError) as info:
        fn()
    message = str(info.value)
    assert "\n" not in message, message
    for w in words:
        assert w in message, "%r not in: %s" % (w, message)
    return message


def shallow_start(n_x=3, dtype="float64"):
    return models.initial_parameters("shallow", [n_x, 4, 1], "randn", 1, dtype)


# ---- X and Y ------------------------------------------------------------------------------------

def _bad_data():
    X, Y = toy_data(3, 8)
    nan_X = X.copy()
    nan_X[1, 2] = np.nan
    inf_X = X.copy()
    inf_X[0, 5] = -np.inf
    return {
        "X a list": (X.tolist(), Y, "NumPy array"),
        "X one-dimensional": (X[0], Y, "2-D"),
        "X three-dimensional": (X[None], Y, "2-D"),
        "X of integers": (X.astype(np.int64), Y, "dtype int64"),
        "X float16": (X.astype(np.float16), Y, "float32 or float64"),
        "X no examples": (X[:, :0], Y[:, :0], "empty"),
        "X no features": (X[:0], Y, "empty"),
        "X transposed": (X.T.copy(), Y, "transposed"),
        "Y one-dimensional": (X, Y[0], "(1, 8)"),
        "Y a column": (X, Y.T.copy(), "(1, 8)"),
        "Y one label too many": (X, np.hstack([Y, Y[:, :1]]), "8 examples"),
        "labels 1 and 2": (X, Y + 1, "0 or 1"),
        "labels -1 and 1": (X, 2 * Y - 1, "0 or 1"),
        "labels as probabilities": (X, Y * 0.9, "0 or 1"),
        "NaN label": (X, np.where(Y == 1, np.nan, 0), "0 or 1"),
        "text labels": (X, Y.astype(str), "dtype"),
        "NaN in X": (nan_X, Y, "NaN or inf"),
        "inf in X": (inf_X, Y, "NaN or inf"),
    }


BAD_DATA = _bad_data()


@pytest.mark.parametrize("case", sorted(BAD_DATA))
def test_bad_data_is_named_by_check_data(case):
    X, Y, words = BAD_DATA[case]
    raises_clearly(lambda: datasets.check_data(X, Y), words)


@pytest.mark.parametrize("case", sorted(BAD_DATA))
@pytest.mark.parametrize("entry", ["models.train_numpy", "models.train_tf", "models.train"])
def test_every_training_entry_point_rejects_bad_data(entry, case):
    """The same message whichever door the learner uses (TF fails before building a graph)."""
    X, Y, words = BAD_DATA[case]
    p0 = shallow_start()
    train = {
        "models.train_numpy": lambda: models.train_numpy("shallow", X, Y, p0, 0.1, 5, "tanh"),
        "models.train_tf": lambda: models.train_tf("shallow", X, Y, p0, 0.1, 5, "tanh"),
        "models.train": lambda: models.train("numpy", "logistic", X, Y,
                                             {"w": np.zeros((3, 1)), "b": 0.0}, 0.1, 5),
    }[entry]
    raises_clearly(train, words)


def test_predict_and_accuracy_check_their_input():
    X, Y = toy_data(3, 8)
    p = shallow_start()
    raises_clearly(lambda: models.predict_proba("shallow", p, X[:2], "tanh"), "n_x = 3")
    raises_clearly(lambda: models.predict_proba("shallow", p, X.T.copy(), "tanh"), "transposed")
    raises_clearly(lambda: models.accuracy("shallow", p, X, Y + 1, "tanh"), "0 or 1")


def test_a_single_example_is_valid_input_to_the_library():
    """m = 1 trains, predicts and gives an accuracy in both backends; only splitting needs 2."""
    X, Y = np.array([[0.5], [-1.0], [2.0]]), np.array([[1.0]])
    for model, p0, act in [("logistic", models.initial_parameters("logistic", [3, 1]), None),
                           ("shallow", shallow_start(), "tanh")]:
        p_np, c_np = models.train_numpy(model, X, Y, p0, 0.5, 5, act, record_every=1)
        p_tf, c_tf = models.train_tf(model, X, Y, p0, 0.5, 5, act, record_every=1)
        assert len(c_np) == len(c_tf) == 6
        np.testing.assert_allclose([c for _, c in c_np], [c for _, c in c_tf], rtol=1e-10,
                                   err_msg=model)
        assert models.predict_proba(model, p_np, X, act).shape == (1, 1)
        assert models.accuracy(model, p_np, X, Y, act) in (0.0, 1.0)
    raises_clearly(lambda: datasets.train_test_split(X, Y), "at least 2 examples", "got 1")
    assert datasets.train_test_split(*toy_data(3, 2))[0].shape == (3, 1)  # 2 is enough


# ---- architecture, names, numbers -----------------------------------------------------------------

@pytest.mark.parametrize("layer_dims, words", [
    ([], "at least one layer"),
    ([3], "at least one layer"),
    ([3, 0, 1], "positive whole numbers"),
    ([3, -2, 1], "positive whole numbers"),
    ([3, 2.5, 1], "positive whole numbers"),
    ([3, "4", 1], "positive whole numbers"),
    ([3, True, 1], "positive whole numbers"),
    ([3, 4, 2], "last layer must have 1 unit"),
    ("3,4,1", "list of whole numbers"),
    (None, "list of whole numbers"),
    ([3, 10 ** 6, 10 ** 4, 1], "parameters"),
])
def test_invalid_layer_dims(layer_dims, words):
    raises_clearly(lambda: models.initial_parameters("deep", layer_dims, "he"), words)


def test_layer_dims_must_fit_the_model():
    raises_clearly(lambda: models.initial_parameters("shallow", [3, 4, 4, 1]), "one hidden layer")
    raises_clearly(lambda: models.initial_parameters("logistic", [3, 4, 1]), "no hidden layer")


@pytest.mark.parametrize("call, words", [
    (lambda: models.initial_parameters("cnn", [3, 1]), "unknown model 'cnn'"),
    (lambda: models.initial_parameters(["deep"], [3, 1]), "unknown model"),
    (lambda: models.initial_parameters("deep", [3, 4, 1], "glorot"), "unknown initialization"),
    (lambda: models.initial_parameters("deep", [3, 4, 1], None), "unknown initialization"),
    (lambda: models.initial_parameters("deep", [3, 4, 1], "he", -1), "seed"),
    (lambda: models.initial_parameters("deep", [3, 4, 1], "he", 2 ** 32), "seed"),
    (lambda: models.initial_parameters("deep", [3, 4, 1], "he", 1, "float16"), "unsupported dtype"),
    (lambda: models.initial_parameters("deep", [3, 4, 1], "he", 1, "int32"), "unsupported dtype"),
    (lambda: models.initial_parameters("deep", [3, 4, 1], "he", 1, "floaty"), "unsupported dtype"),
    (lambda: models.initial_parameters("deep", [3, 4, 1], "he", 1, None), "unsupported dtype"),
    (lambda: models.train("torch", "deep", *toy_data(), {}, 0.1, 1), "unknown backend"),
    (lambda: datasets.load_dataset("mnist"), "unknown dataset 'mnist'"),
    (lambda: datasets.load_dataset(["flower"]), "unknown dataset"),
    (lambda: datasets.load_dataset("flower", seed=-3), "seed"),
])
def test_unknown_names_and_bad_settings(call, words):
    raises_clearly(call, words, "choose" if "unknown" in words or "dtype" in words else "")


@pytest.mark.parametrize("train", ["numpy", "tf"])
@pytest.mark.parametrize("kwargs, words", [
    ({"activation": "softmax"}, "unknown activation 'softmax'"),
    ({"activation": None}, "unknown activation"),
    ({"learning_rate": 0}, "learning rate"),
    ({"learning_rate": -0.1}, "learning rate"),
    ({"learning_rate": float("nan")}, "learning rate"),
    ({"learning_rate": float("inf")}, "learning rate"),
    ({"learning_rate": "0.1"}, "learning rate"),
    ({"learning_rate": True}, "learning rate"),
    ({"num_iterations": 0}, "number of iterations"),
    ({"num_iterations": -5}, "number of iterations"),
    ({"num_iterations": 2.5}, "number of iterations"),
    ({"num_iterations": "10"}, "number of iterations"),
    ({"record_every": 0}, "record interval"),
])
def test_bad_hyperparameters(train, kwargs, words):
    X, Y = toy_data()
    args = dict(model="shallow", X=X, Y=Y, parameters=shallow_start(), learning_rate=0.1,
                num_iterations=3, activation="tanh")
    args.update(kwargs)
    fn = models.train_numpy if train == "numpy" else models.train_tf
    raises_clearly(lambda: fn(**args), words)


def test_the_graph_builder_checks_its_input():
    """models.build_graph is an entry point too (predict.py builds graphs through it)."""
    p = models.initial_parameters("deep", [3, 4, 3, 1], "he")
    raises_clearly(lambda: models.build_graph("deep", p, 0, "relu"), "learning rate")
    raises_clearly(lambda: models.build_graph("deep", p, 0.1, "swish"), "unknown activation")
    raises_clearly(lambda: models.build_graph("shallow", p, 0.1, "tanh"), "one hidden layer")


def test_a_python_float_bias_trains_on_both_backends():
    """The exercises' initialize_with_zeros returns b = 0.0, a Python float: accepted by both
    trainers, which agree on the result."""
    X, Y = toy_data()
    start = {"w": np.zeros((3, 1)), "b": 0.0}
    p_np, c_np = models.train_numpy("logistic", X, Y, start, 0.1, 20)
    p_tf, c_tf = models.train_tf("logistic", X, Y, start, 0.1, 20)
    assert isinstance(start["b"], float)  # the caller's value is left alone
    assert np.ndim(p_np["b"]) == 0 and np.asarray(p_np["b"]).dtype == np.float64
    np.testing.assert_allclose(p_np["w"], p_tf["w"], rtol=1e-12, err_msg="w: NumPy vs TF")
    np.testing.assert_allclose(p_np["b"], p_tf["b"], rtol=1e-12, err_msg="b: NumPy vs TF")


# ---- parameters that do not fit ---------------------------------------------------------------------

def _bad_parameters():
    p = shallow_start()
    cases = {}
    q = dict(p, W1=p["W1"][:, :2])
    cases["W1 takes 2 inputs, data has 3"] = ("shallow", q, "n_x = 2")
    q = dict(p)
    del q["b2"]
    cases["b2 missing"] = ("shallow", q, "W1, b1")
    cases["an extra W3"] = ("shallow", dict(p, W3=np.zeros((1, 1)), b3=np.zeros((1, 1))),
                            "one hidden layer")
    cases["two output units"] = ("deep", dict(p, W2=np.zeros((2, 4)), b2=np.zeros((2, 1))),
                                 "1 unit")
    cases["W2 does not chain"] = ("shallow", dict(p, W2=np.zeros((1, 5))), "shapes")
    cases["NaN weight"] = ("shallow", dict(p, W1=np.full((4, 3), np.nan)), "NaN or inf")
    cases["integer weights"] = ("shallow", dict(p, W1=np.ones((4, 3), dtype=int)), "dtype")
    cases["logistic keys on a network"] = ("shallow", {"w": np.zeros((3, 1)), "b": 0.0}, "W1")
    cases["network keys on logistic"] = ("logistic", p, "'w'")
    cases["w of the wrong size"] = ("logistic", {"w": np.zeros((2, 1)), "b": 0.0}, "n_x = 2")
    cases["not a dict"] = ("deep", [p["W1"], p["b1"]], "dict")
    return cases


BAD_PARAMETERS = _bad_parameters()


@pytest.mark.parametrize("case", sorted(BAD_PARAMETERS))
@pytest.mark.parametrize("train", ["numpy", "tf"])
def test_parameters_that_do_not_fit(train, case):
    model, p, words = BAD_PARAMETERS[case]
    X, Y = toy_data(3, 8)
    fn = models.train_numpy if train == "numpy" else models.train_tf
    raises_clearly(lambda: fn(model, X, Y, p, 0.1, 2, "tanh"), words)


def test_a_one_element_b_is_accepted_for_logistic_regression():
    X, Y = toy_data()
    p, _ = models.train_numpy("logistic", X, Y, {"w": np.zeros((3, 1)), "b": np.zeros((1, 1))},
                              0.1, 2)
    assert np.size(p["b"]) == 1


# ---- files --------------------------------------------------------------------------------------

def test_every_bad_course_file_is_named(tmp_path):
    """Missing, not HDF5, truncated, wrong keys, wrong shapes, bad labels, NaN, too small."""
    for case, (path, words) in sorted(bad_h5_files(tmp_path).items()):
        message = raises_clearly(lambda: h5files.load(path), words)  # noqa: B023 (called at once)
        assert case.startswith("one example") or path in message, (case, message)


def test_test_files_are_checked_as_well(tmp_path):
    train = course_h5(str(tmp_path / "train.h5"), m=6, shape=(2, 2, 3))
    wide = course_h5(str(tmp_path / "wide_test.h5"), "test", m=4, shape=(3, 3, 3))
    raises_clearly(lambda: h5files.load(train, wide), "features")
    wrong_split = course_h5(str(tmp_path / "named_train.h5"), "train", m=4, shape=(2, 2, 3))
    raises_clearly(lambda: h5files.load(train, wrong_split), "test_set_x")
    one = course_h5(str(tmp_path / "one_train.h5"), m=1, shape=(2, 2, 3))
    test = course_h5(str(tmp_path / "test.h5"), "test", m=3, shape=(2, 2, 3))
    ds = h5files.load(one, test)  # a single training example is fine with a test file
    assert ds.X_train.shape == (12, 1) and ds.X_test.shape == (12, 3)


def _saved_params(tmp_path, model="shallow", dims=(3, 4, 1)):
    p = models.initial_parameters(model, list(dims), "randn")
    path = str(tmp_path / ("%s.h5" % model))
    params_io.save_params(path, p, {"model": model, "layer_dims": list(dims),
                                    "activation": "tanh", "dtype": "float64"})
    return path


def test_bad_parameter_files(tmp_path):
    import h5py
    good = _saved_params(tmp_path)
    raises_clearly(lambda: params_io.load_params(str(tmp_path / "none.h5")), "no such file")
    text = tmp_path / "params_text.h5"
    text.write_text(u"W1 = [[1, 2]]\n")
    raises_clearly(lambda: params_io.load_params(str(text)), "not a readable HDF5 file")
    from bad_inputs import truncated_copy
    cut = truncated_copy(good, str(tmp_path / "cut.h5"), 0.6)
    raises_clearly(lambda: params_io.load_params(cut), "cut.h5")
    data_file = course_h5(str(tmp_path / "train_data.h5"))
    raises_clearly(lambda: params_io.load_params(data_file), "not a parameter file")
    with h5py.File(str(tmp_path / "bad_shapes.h5"), "w") as f:
        f.create_dataset("W1", data=np.zeros((4, 3)))
        f.create_dataset("b1", data=np.zeros((4, 1)))
        f.attrs["model"] = '"shallow"'
        f.attrs["layer_dims"] = "[3, 5, 1]"
    raises_clearly(lambda: params_io.load_params(str(tmp_path / "bad_shapes.h5")), "do not fit")
