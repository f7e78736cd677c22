"""The scikit-learn estimators (tf_models.estimators) checked against the library they wrap.

Each estimator, on either backend, is checked against ``models.train_numpy`` / ``models.train_tf``
run directly on the transposed data from ``models.initial_parameters``: same parameters and costs
to 1e-12 (float64). Then scikit-learn's side: labels of any kind round-trip, predict_proba agrees
with predict, clone/get_params/set_params, cross-validation in a Pipeline on breast_cancer,
GridSearchCV, and one clear ValueError for each input the models cannot take.
"""
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from conftest import assert_close_dicts, toy_data
from tf_models import models
from tf_models.estimators import (DeepNetClassifier, LogisticRegressionGD, ShallowNetClassifier,
                                  print_interval)
from tf_models.settings import record_interval

BACKENDS = ["numpy", "tf"]
# estimator class, its settings for a quick fit, and how to build the same model by hand:
# (model, layer_dims after n_x, init, seed, activation)
CASES = {
    "logistic": (LogisticRegressionGD, dict(learning_rate=0.1, num_iterations=60),
                 ("logistic", [1], None, None, None)),
    "shallow": (ShallowNetClassifier, dict(hidden_units=3, learning_rate=0.5, num_iterations=60,
                                           random_state=3),
                ("shallow", [3, 1], "randn", 3, "tanh")),
    "deep": (DeepNetClassifier, dict(hidden_layer_sizes=(5, 3), learning_rate=0.05,
                                     num_iterations=60, random_state=2),
             ("deep", [5, 3, 1], "xavier", 2, "relu")),
}
KINDS = sorted(CASES)


def labelled(seed=0, m=40, n_x=3):
    """scikit-learn layout: X (m, n_x) and y of "cat"/"dog"; also the course's X (n_x, m), Y (1, m)
    with Y = 1 for "dog" (the second of the sorted classes)."""
    X_course, Y = toy_data(n_x=n_x, m=m, seed=seed)
    y = np.where(Y.ravel() == 1, "dog", "cat")
    return X_course.T, y, X_course, Y


def separable(m=60, seed=0):
    """Two well separated blobs in 2-D: X (m, 2) and a 0/1 vector (first half 0)."""
    rng = np.random.RandomState(seed)
    X = rng.randn(m, 2) * 0.5
    X[m // 2:] += 3.0
    return X, (np.arange(m) >= m // 2).astype(int)


# ---- the estimator trains the library's model ---------------------------------------------------

@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", KINDS)
def test_estimator_equals_the_library_model_trained_on_the_transposed_data(kind, backend):
    cls, settings, (model, hidden, init, seed, activation) = CASES[kind]
    X, y, X_course, Y = labelled()
    est = cls(backend=backend, **settings).fit(X, y)

    start = models.initial_parameters(model, [X.shape[1]] + hidden, init or "randn", seed or 1)
    train = models.train_tf if backend == "tf" else models.train_numpy
    n = settings["num_iterations"]
    direct, costs = train(model, X_course, Y, start, settings["learning_rate"], n, activation,
                          record_every=record_interval(print_interval(n)))

    assert list(est.classes_) == ["cat", "dog"]
    assert_close_dicts(est.parameters_, direct, 1e-12, "estimator", "models.train_" + backend)
    np.testing.assert_allclose(np.array(est.costs_), np.array(costs), rtol=1e-12, atol=0,
                               err_msg="costs: estimator vs models.train_" + backend)
    assert est.loss_curve_ == [J for _, J in est.costs_]
    assert est.n_iter_ == n and est.n_features_in_ == 3
    # predict_proba is the course's forward pass on the transposed rows
    A = models.predict_proba(model, direct, X_course, activation)
    np.testing.assert_allclose(est.predict_proba(X)[:, 1], A.ravel(), rtol=1e-12, atol=0)


@pytest.mark.parametrize("kind", KINDS)
def test_the_numpy_backend_prints_the_cost_like_the_course(kind, capsys):
    cls, settings, _ = CASES[kind]
    X, y, _, _ = labelled()
    cls(backend="numpy", print_cost=True, **settings).fit(X, y)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Cost after iteration 0: ")
    assert lines[-1].startswith("Cost after iteration %d: " % settings["num_iterations"])


# ---- labels and probabilities -------------------------------------------------------------------

@pytest.mark.parametrize("labels", [("cat", "dog"), (-1, 1), (False, True)],
                         ids=["strings", "minus-plus", "bools"])
@pytest.mark.parametrize("kind", KINDS)
def test_any_two_labels_round_trip_through_predict(kind, labels):
    cls, settings, _ = CASES[kind]
    X, y01 = separable()
    y = np.array(labels)[y01]
    est = cls(backend="numpy", **dict(settings, learning_rate=0.3, num_iterations=300)).fit(X, y)
    predicted = est.predict(X)
    assert list(est.classes_) == sorted(labels)
    assert predicted.dtype == y.dtype and set(predicted) <= set(labels)
    assert np.mean(predicted == y) >= 0.95, "separable blobs: the labels came back mixed up"
    assert est.score(X, y) == np.mean(predicted == y)


@pytest.mark.parametrize("kind", KINDS)
def test_predict_proba_rows_sum_to_one_and_argmax_agrees_with_predict(kind):
    cls, settings, _ = CASES[kind]
    X, y, _, _ = labelled(m=50)
    est = cls(backend="numpy", **settings).fit(X, y)
    P = est.predict_proba(X)
    assert P.shape == (50, 2)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    assert ((P >= 0) & (P <= 1)).all()
    assert list(est.classes_[P.argmax(axis=1)]) == list(est.predict(X))


def test_float32_fits_in_float32():
    X, y, _, _ = labelled()
    est = ShallowNetClassifier(dtype="float32", backend="numpy", num_iterations=20).fit(X, y)
    assert {v.dtype for v in est.parameters_.values()} == {np.dtype("float32")}


# ---- scikit-learn's protocol ----------------------------------------------------------------------

DEFAULTS = {
    LogisticRegressionGD: dict(learning_rate=0.05, num_iterations=2000, backend="tf",
                               dtype="float64", print_cost=False),
    ShallowNetClassifier: dict(hidden_units=4, activation="tanh", learning_rate=1.2,
                               num_iterations=10000, init="randn", backend="tf", dtype="float64",
                               random_state=1, print_cost=False),
    DeepNetClassifier: dict(hidden_layer_sizes=(20, 7, 5), activation="relu",
                            learning_rate=0.0075, num_iterations=2500, init="xavier", backend="tf",
                            dtype="float64", random_state=1, print_cost=False),
}


@pytest.mark.parametrize("cls", list(DEFAULTS), ids=lambda c: c.__name__)
def test_get_params_set_params_and_clone(cls):
    est = cls()
    assert est.get_params() == DEFAULTS[cls]
    assert est.set_params(learning_rate=0.3, backend="numpy") is est
    assert est.get_params()["learning_rate"] == 0.3
    X, y, _, _ = labelled()
    est.set_params(num_iterations=20).fit(X, y)
    copy = clone(est)
    assert copy.get_params() == est.get_params()
    assert not hasattr(copy, "parameters_"), "clone copies the settings, not the fit"
    assert_close_dicts(copy.fit(X, y).parameters_, est.parameters_, 0, "refit clone", "first fit")


def test_random_state_picks_the_starting_weights():
    X, y, _, _ = labelled()
    fit = lambda rs: ShallowNetClassifier(backend="numpy", num_iterations=5,  # noqa: E731
                                          random_state=rs).fit(X, y).parameters_["W1"]
    assert not np.allclose(fit(1), fit(2))
    np.testing.assert_array_equal(fit(np.random.RandomState(0)), fit(np.random.RandomState(0)))
    assert fit(None).shape == (4, 3)


@pytest.mark.parametrize("settings", [{}, dict(backend="numpy", num_iterations=1000)],
                         ids=["defaults-tf", "numpy-1000"])
@pytest.mark.time_limit(600)
@pytest.mark.slow  # five folds of the course's full training
def test_cross_validation_in_a_pipeline_on_breast_cancer(settings):
    """The default shallow network (TF, n_h = 4, tanh, α = 1.2, 10000 iterations), standardized;
    and the NumPy backend, with fewer iterations to keep the test quick (the parity test above
    shows it trains the same parameters as TF)."""
    X, y = load_breast_cancer(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), ShallowNetClassifier(**settings))
    scores = cross_val_score(pipe, X, y, cv=5)
    assert len(scores) == 5
    assert scores.mean() >= 0.95, scores


def test_grid_search_over_hidden_units_and_learning_rate():
    X, y = load_breast_cancer(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), ShallowNetClassifier(backend="numpy",
                                                                num_iterations=200))
    grid = {"shallownetclassifier__hidden_units": [1, 4],
            "shallownetclassifier__learning_rate": [0.01, 1.2]}
    search = GridSearchCV(pipe, grid, cv=3).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    best = search.best_estimator_.steps[-1][1]
    assert best.hidden_units == search.best_params_["shallownetclassifier__hidden_units"]
    assert best.n_features_in_ == 30
    assert search.best_score_ == max(search.cv_results_["mean_test_score"])
    assert search.best_score_ >= 0.95


# ---- bad input: one clear ValueError --------------------------------------------------------------

@pytest.mark.parametrize("cls", list(DEFAULTS), ids=lambda c: c.__name__)
def test_bad_input_gives_one_clear_value_error(cls):
    X, y, _, _ = labelled()
    est = cls(backend="numpy", num_iterations=5)
    with pytest.raises(ValueError, match="not fitted"):
        est.predict(X)
    three = r"Only binary classification is supported\. %s needs y with exactly 2 classes; got 3 " \
            r"classes \(0, 1, 2\)" % cls.__name__
    with pytest.raises(ValueError, match=three):
        est.fit(X, np.arange(len(y)) % 3)
    with pytest.raises(ValueError, match="exactly 2 classes; got 1 class"):
        est.fit(X, np.zeros(len(y)))
    X_nan = X.copy()
    X_nan[2, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        est.fit(X_nan, y)
    assert not hasattr(est, "classes_"), "a refused fit left fitted attributes behind"
    with pytest.raises(ValueError, match="not fitted"):
        est.predict(X)
    est.fit(X, y)
    with pytest.raises(ValueError, match="X has 2 features, but %s is expecting 3 features as input"
                       % cls.__name__):
        est.predict(X[:, :2])
    with pytest.raises(ValueError, match="Input contains NaN"):
        est.predict_proba(X_nan)


@pytest.mark.parametrize("setting, message", [
    (dict(backend="torch"), "unknown backend 'torch'; choose one of: tf, numpy"),
    (dict(learning_rate=-1), "learning rate must be a positive finite number"),
    (dict(num_iterations=0), "num_iterations must be a whole number of at least 1"),
    (dict(dtype="int8"), "unsupported dtype 'int8'; choose float32 or float64"),
    (dict(hidden_units=0), "hidden_units must be a whole number of at least 1"),
    (dict(activation="softmax"), "unknown activation 'softmax'"),
    (dict(init="orthogonal"), "unknown initialization 'orthogonal'"),
    (dict(random_state=-3), "seed must be a whole number from 0"),
])
def test_bad_settings_are_reported_at_fit(setting, message):
    X, y, _, _ = labelled()
    est = ShallowNetClassifier(**setting)  # stored unchanged, as scikit-learn requires
    assert est.get_params()[list(setting)[0]] == list(setting.values())[0]
    with pytest.raises(ValueError, match=message):
        est.fit(X, y)


def test_bad_hidden_layer_sizes():
    X, y, _, _ = labelled()
    for sizes in [(), "20,7", (5, 0)]:
        with pytest.raises(ValueError, match="hidden_layer_sizes must be|each hidden layer size"):
            DeepNetClassifier(hidden_layer_sizes=sizes, backend="numpy").fit(X, y)
