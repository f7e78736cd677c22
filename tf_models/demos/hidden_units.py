"""Hidden layer size (1.4.3.2, the hyperparameter n[1]) on the flower: 1, 2, 3, 4, 5, 20, 50 units.

The shallow network n_x → n_h → 1 (tanh, as in 1.3.5) is trained once per n_h from the same seed,
on the same split, with the same α and iterations. One unit draws a single straight-ish cut;
a handful of units already follow the petals; many units fit the training points more closely,
which shows in the decision boundary more than in the test accuracy.
"""
from tf_models import datasets, models
from tf_models.demos import common

SIZES = (1, 2, 3, 4, 5, 20, 50)


def hidden_units(sizes=SIZES, dataset="flower", activation="tanh", learning_rate=1.2,
                 iterations=5000, seed=1, backend="numpy"):
    """Train one shallow network per n_h. Returns the dataset and a list of
    {"n_h", "parameters", "costs", "train_accuracy", "test_accuracy"} in the order of ``sizes``."""
    ds = datasets.load_dataset(dataset, seed=seed)
    runs = []
    for n_h in sizes:
        start = models.initial_parameters("shallow", [ds.n_x, n_h, 1], "randn", seed)
        trained, costs = models.train(backend, "shallow", ds.X_train, ds.Y_train, start,
                                      learning_rate, iterations, activation, iterations)
        runs.append({
            "n_h": n_h, "parameters": trained, "costs": costs,
            "train_accuracy": models.accuracy("shallow", trained, ds.X_train, ds.Y_train, activation),
            "test_accuracy": models.accuracy("shallow", trained, ds.X_test, ds.Y_test, activation)})
    return ds, runs


def plot_hidden_units(ds, runs, activation="tanh", path=None, columns=4):
    """A grid of decision boundaries, one per n_h, over the training points, with the accuracies."""
    from tf_models import plots
    rows = (len(runs) + columns - 1) // columns
    fig, axes = plots.plt.subplots(rows, columns, figsize=(3.6 * columns, 3.6 * rows), squeeze=False)
    for n, (ax, run) in enumerate(zip(axes.ravel(), runs)):
        predict = lambda X, p=run["parameters"]: models.predict(  # noqa: E731
            "shallow", p, X, activation)
        plots.decision_boundary(predict, ds.X_train, ds.Y_train, ax=ax,
                                title="n_h = %d: train %.2f, test %.2f"
                                % (run["n_h"], run["train_accuracy"], run["test_accuracy"]),
                                class_names=ds.classes, legend=n == 0)  # one legend serves all
        ax.title.set_fontsize(10)
    for ax in axes.ravel()[len(runs):]:
        ax.axis("off")
    return common.finish(fig, path)
