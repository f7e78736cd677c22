"""Apply the parameters of a training run to labelled data: print the accuracy, write predictions.

    python scripts/predict.py --params runs/shallow-tf-.../params.h5                  # its test split
    python scripts/predict.py --params RUN/params.h5 --backend tf --dataset flower
    python scripts/predict.py --params RUN/params.h5 --data test_catvnoncat.h5 --out cat.csv

Either backend reads what either backend saved. Without --dataset or --data the data is the run's
own test set, reproduced from the dataset and seed recorded in the file. The predictions go to a
CSV (index, probability, prediction, label): --out, or a new file beside the parameters; an
existing file is never overwritten, and the file appears whole or not at all. When the data is
the run's own file and its content changed since training (its fingerprint in params.h5
differs), a warning says so.
Exit status: 0 done; 1 a bug (please report it); 2 bad input or a failed write; 130 Ctrl-C;
143 SIGTERM.
"""
from tf_models.run import program

if __name__ == "__main__":
    program.begin()  # SIGINT and SIGTERM wait for the script's answer (tf_models/run/program.py)

import os  # noqa: E402

from tf_models import datasets, settings  # noqa: E402
from tf_models.run import cli, console, params_io, prediction  # noqa: E402

BACKEND = "numpy"  # the NumPy forward pass starts fastest; --backend tf evaluates the TF graph


def build_parser():
    p = cli.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--params", required=True, metavar="RUN/params.h5",
                   help="parameter file written by a training script, or its run directory")
    p.add_argument("--backend", choices=settings.BACKENDS, default=BACKEND,
                   help="which implementation computes y_hat")
    p.add_argument("--dataset", choices=datasets.DATASETS,
                   help="a built-in dataset: its test split, from the seed in the file")
    p.add_argument("--data", metavar="FILE.h5", type=cli.input_file,
                   help="an HDF5 file of the course's cat/non-cat layout: all its examples")
    p.add_argument("--out", metavar="FILE.csv",
                   help="where to write the predictions (must not exist; default: a new "
                        "predictions-<data>-<backend>.csv beside the parameters)")
    return p


def main(argv=None):
    return cli.run(_predict, argv)


def _predict(argv):
    args = build_parser().parse_args(argv)
    if os.path.isdir(args.params):  # a run directory: its params.h5
        args.params = os.path.join(args.params, "params.h5")
    parameters, attrs = params_io.load_params(args.params)
    X, Y, description = prediction.evaluation_data(attrs, args.dataset, args.data)
    for path in prediction.changed_data(attrs, args.dataset, args.data):
        console.warn("warning: %s changed since these parameters were trained on it (its "
                     "content fingerprint differs); the accuracy is not the run's" % path)
    A = prediction.probabilities(args.backend, parameters, attrs, X)
    label = args.dataset or os.path.splitext(os.path.basename(args.data or
                                                              str(attrs["dataset"])))[0]
    out = args.out or prediction.default_output(args.params, label, args.backend)
    prediction.write_predictions(out, A, Y)
    acc, correct = prediction.score(A, Y)
    console.say("parameters  %s: %s %s, activation %s, %s, trained with %s"
                % (args.params, attrs["model"], attrs["layer_dims"], attrs.get("activation"),
                   attrs["dtype"], attrs.get("backend")))
    console.say("data        %s" % description)
    console.say("backend     %s" % args.backend)
    console.say("accuracy    %.4f  (%d of %d correct)" % (acc, correct, Y.shape[1]))
    console.say("predictions %s" % out)
    return 0


if __name__ == "__main__":
    program.exit(main)
