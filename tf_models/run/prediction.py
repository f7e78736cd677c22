"""Applying saved parameters: ŷ from a params.h5 with either backend, on labelled data.

    evaluation_data(attrs, dataset, data)           -> X (n_x, m), Y (1, m), description
    probabilities(backend, parameters, attrs, X)    -> ŷ (1, m)
    score(A, Y)                                     -> (accuracy, number correct)
    write_predictions(path, ŷ, Y)                   a CSV: index, probability, prediction, label

A params.h5 (``params_io``) records the model, its layer_dims and activation, the dtype and the
training settings, so the parameters of either backend rebuild the same model in the other:
the NumPy forward pass (``models.predict_proba``) or the TF graph (``models.build_graph``, its
variables initialized from the file, ``A`` evaluated with X fed).
"""
import os

import numpy as np

from tf_models import activations, datasets, models, settings
from tf_models.run import h5files


def evaluation_data(attrs, dataset=None, data=None):
    """Labelled examples to evaluate the parameters on: (X, Y, description).

    dataset  a built-in name: its test split, reproduced from the seed recorded in ``attrs``
    data     an HDF5 file of the course layout: all its examples (``test_set_*`` if present,
             otherwise ``train_set_*``)
    neither  what the parameters were trained on: the recorded built-in dataset's test split,
             or for a run on HDF5 files its test file (or the seeded hold-out of its training file)
    """
    seed = attrs.get("seed", 1)
    if dataset and data:
        raise ValueError("give --dataset or --data, not both")
    if data:
        X, Y, _ = h5files.read(data, _split_of(data))
        description = "%s (%d examples)" % (data, X.shape[1])
    else:
        name = dataset or attrs.get("dataset")
        if name in datasets.DATASETS:
            ds = datasets.load_dataset(name, seed=seed)
            what = "test split, seed %d" % seed
        elif name:  # a run trained on HDF5 files: the same test set as its metrics.json
            ds = h5files.load(name, attrs.get("test_dataset"), seed=seed)
            what = ("test file %s" % attrs["test_dataset"] if attrs.get("test_dataset")
                    else "hold-out split, seed %d" % seed)
        else:
            raise ValueError("the parameter file records no dataset; give --dataset or --data")
        X, Y = ds.X_test, ds.Y_test
        description = "%s, %s (%d examples)" % (name, what, X.shape[1])
    n_x = attrs["layer_dims"][0]
    if X.shape[0] != n_x:
        raise ValueError("the data has %d features per example but the parameters expect n_x = %d"
                         % (X.shape[0], n_x))
    return X.astype(attrs["dtype"]), Y.astype(attrs["dtype"]), description


def _split_of(path):
    """"test" when the file holds test_set_x, else "train" (h5files.read reports what is missing)."""
    import h5py
    try:
        with h5py.File(path, "r") as f:
            return "test" if "test_set_x" in f else "train"
    except (OSError, IOError):
        return "train"


def probabilities(backend, parameters, attrs, X):
    """ŷ = A[L] (1, m) for X (n_x, m) by the NumPy forward pass or the TF graph."""
    model, activation = attrs["model"], attrs.get("activation")
    settings.check_choice(backend, settings.BACKENDS, "backend")
    if backend == "numpy":
        return models.predict_proba(model, parameters, X, activation)
    return _predict_proba_tf(model, parameters, X, activation, attrs["dtype"],
                             attrs.get("learning_rate") or 1.0)


def _predict_proba_tf(model, parameters, X, activation, dtype, learning_rate):
    """The model's TF graph built from ``parameters``; A evaluated with X fed (no training)."""
    from tf_models.graphs.tfcompat import tf
    graph = models.build_graph(model, parameters, learning_rate, activation, dtype)
    with tf.Session(graph=graph.graph) as sess:
        sess.run(graph.init)
        return sess.run(graph.A, {graph.X: X})


def score(A, Y):
    """(fraction, number correct) of the predicted labels (ŷ > 0.5) against the labels Y."""
    correct = int(np.sum(activations.to_labels(A) == Y))
    return correct / float(Y.shape[1]), correct


def default_output(params_path, label, backend):
    """A new file beside the parameters: predictions-<label>-<backend>[-k].csv (never an
    existing file)."""
    base = os.path.join(os.path.dirname(os.path.abspath(params_path)),
                        "predictions-%s-%s" % (label, backend))
    path, k = base + ".csv", 1
    while os.path.exists(path):
        path, k = "%s-%d.csv" % (base, k), k + 1
    return path


def write_predictions(path, A, Y):
    """CSV with one row per example: index, probability ŷ, prediction (ŷ > 0.5), label.

    Written to a temporary file and then linked to ``path``, so the CSV appears whole or not at
    all, and an existing file is never overwritten (ValueError instead)."""
    from tf_models.run import params_io
    if os.path.exists(path):
        raise ValueError("%s already exists; choose another --out (files are never overwritten)"
                         % path)

    def write(tmp):
        with open(tmp, "w") as f:
            f.write("index,probability,prediction,label\n")
            for j, (a, y) in enumerate(zip(np.ravel(A), np.ravel(Y))):
                f.write("%d,%.17g,%d,%d\n" % (j, a, activations.to_labels(a), y))
    try:
        params_io.atomic_write(path, write, exclusive=True)
    except FileExistsError:
        raise ValueError("%s already exists; choose another --out (files are never overwritten)"
                         % path)
    except OSError as e:
        raise ValueError("cannot write %s (%s); nothing was written"
                         % (path, e.strerror or e))


def changed_data(attrs, dataset=None, data=None):
    """The data files the evaluation reads that the run trained on and that changed since
    (their fingerprints in ``attrs["data_fingerprints"]`` differ); [] for other data."""
    from tf_models.run import fingerprints
    recorded = attrs.get("data_fingerprints") or {}
    if dataset:
        return []
    reads = [data] if data else [attrs.get("test_dataset") or attrs.get("dataset")]
    mine = {os.path.abspath(p): recorded[os.path.abspath(p)] for p in reads
            if p and os.path.abspath(p) in recorded}
    return fingerprints.changed(mine)
