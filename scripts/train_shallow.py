"""Train the shallow network n_x → n_h → 1 (course 1.3): the project's main job.

    python scripts/train_shallow.py                        # flower, n_h = 4, tanh, TF backend
    python scripts/train_shallow.py --backend numpy --hidden-units 20 --activation relu

Ends with the accuracy beside logistic regression's on the same split (the course's point:
a hidden layer separates the flower, a linear model cannot).
"""
from tf_models.run import program

if __name__ == "__main__":
    program.begin()  # SIGINT and SIGTERM wait for the script's answer (tf_models/run/program.py)

from tf_models import models  # noqa: E402
from tf_models.run import cli, console, execute  # noqa: E402

# The defaults (the course's planar example: flower, n_h = 4, tanh, alpha 1.2, 10000 iterations)
# are the shallow network's entry in tf_models.models.REGISTRY.
# Logistic regression, for comparison, trains with the same α for at most this many steps: it is
# convex, and on the flower its cost stops changing (to every printed digit) before 1000 steps.
LOGISTIC_ITERATIONS = 2000


def compare_with_logistic(config, metrics, run):
    """Logistic regression (NumPy, same split and α) beside the network (``run``: the network's
    transaction, whose one warning about a rising cost this training shares)."""
    ds = execute.load_data(config)
    w_b = models.initial_parameters("logistic", [ds.n_x, 1], dtype=config.dtype)
    iterations = min(config.iterations, LOGISTIC_ITERATIONS)
    training = models.training("logistic", config.learning_rate, iterations, record_every=iterations)
    trained, _ = models.fit(training, "numpy", ds.X_train, ds.Y_train, w_b, hooks=run.beside())
    acc = lambda X, Y: models.accuracy("logistic", trained, X, Y)  # noqa: E731
    console.say("%-28s train %.4f   test %.4f" % ("shallow network (n_h = %d)" % config.hidden_dims[0],
                                                 metrics["train_accuracy"], metrics["test_accuracy"]))
    console.say("%-28s train %.4f   test %.4f" % ("logistic regression", acc(ds.X_train, ds.Y_train),
                                                 acc(ds.X_test, ds.Y_test)))


def main(argv=None):
    parser = cli.build_parser("shallow", __doc__.splitlines()[0])
    return cli.main(parser, "shallow", argv, after=compare_with_logistic)


if __name__ == "__main__":
    program.exit(main)
