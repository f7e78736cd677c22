"""Command-line plumbing shared by the training scripts (argparse, errors, exit status).

Exit status: 0 on success; 2 on bad input, with a single line ``error: ...`` on stderr and no
traceback (also when training diverges: metrics.json then says "status": "diverged" and holds the
last good parameters); 130 after Ctrl-C (the parameters so far are saved, "status":
"interrupted"); 1 on an unexpected failure, a bug: one ``error:`` line, and the traceback when
the environment sets TF_MODELS_TRACEBACK=1.
"""
import argparse
import os
import sys

from tf_models import datasets, initializers, models, run
from tf_models.activations import HIDDEN_ACTIVATIONS



def one_line(text):
    """``text`` on a single line: a file name or value holding a line break cannot split the
    ``error:`` line that tools and tests read."""
    return " ".join(text.splitlines())


class ArgumentParser(argparse.ArgumentParser):
    """argparse that reports a bad argument as one ``error:`` line (exit 2) without the usage."""

    def error(self, message):
        sys.stderr.write("error: %s (see --help)\n" % one_line(message))
        sys.exit(2)


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a whole number, got %r" % text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1, got %d" % value)
    return value


def positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a number, got %r" % text)
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("must be a positive finite number, got %s" % text)
    return value


def layer_dims_arg(text):
    """'20,7,5,1' -> [20, 7, 5, 1]: units of each layer after the input, the last one 1."""
    try:
        dims = [int(t) for t in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError("expected whole numbers separated by commas such as 20,7,5,1; "
                                         "got %r" % text)
    try:
        initializers.check_layer_dims([1] + dims)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e).replace("[1, ", "[n_x, "))
    return dims


def build_parser(model, description, learning_rate, iterations, print_every, dataset):
    """The flags of DESIGN.md for ``model`` with its defaults."""
    p = ArgumentParser(description=description,
                       formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--backend", choices=models.BACKENDS, default="tf",
                   help="which implementation trains")
    p.add_argument("--dataset", choices=datasets.DATASETS, default=dataset,
                   help="built-in dataset (digits: odd vs even)")
    p.add_argument("--data", metavar="TRAIN.h5",
                   help="train on an HDF5 file of the course's cat/non-cat layout instead")
    p.add_argument("--test-data", metavar="TEST.h5",
                   help="test set for --data (default: a seeded 25%% hold-out of the training file)")
    p.add_argument("--learning-rate", type=positive_float, default=learning_rate, help="α")
    p.add_argument("--iterations", type=positive_int, default=iterations,
                   help="gradient-descent steps")
    p.add_argument("--seed", type=int, default=1, help="seed for data, split and initialization")
    p.add_argument("--dtype", choices=models.DTYPES, default="float64")
    p.add_argument("--print-every", type=positive_int, default=print_every,
                   help="print and record the cost every N iterations")
    p.add_argument("--run-dir", help="output folder (must be new; default: a new folder in runs/)")
    p.add_argument("--resume", metavar="RUN_DIR",
                   help="continue the run in RUN_DIR for --iterations more steps, into a new run "
                        "directory; its model, data, seed and dtype are kept (TF restores its "
                        "latest checkpoint, NumPy its params.h5)")
    p.add_argument("--mode", choices=models.TF_MODES, default="loop",
                   help="TF only: loop = many steps per Session.run (fast); step = one run per "
                        "step; feed = the textbook loop feeding the data every step")
    if model == "shallow":
        p.add_argument("--hidden-units", type=positive_int, default=4, help="n_h, units in the hidden layer")
    if model == "deep":
        p.add_argument("--layer-dims", type=layer_dims_arg, default=[20, 7, 5, 1],
                       help="units of each layer after the input, comma-separated, last 1")
        p.add_argument("--init", choices=sorted(initializers.INIT_METHODS), default="xavier",
                       help="weight initialization (1.4.3.3)")
    if model != "logistic":
        p.add_argument("--activation", choices=HIDDEN_ACTIVATIONS,
                       default="tanh" if model == "shallow" else "relu",
                       help="hidden-layer activation g")
    return p


def config_from_args(model, args):
    """A run.Config from parsed arguments."""
    if model == "logistic":
        hidden, activation, init = [], None, "zeros"
    elif model == "shallow":
        hidden, activation, init = [args.hidden_units], args.activation, "randn"
    else:
        hidden, activation, init = args.layer_dims[:-1], args.activation, args.init
    return run.Config(model=model, backend=args.backend, dataset=args.dataset, data=args.data,
                      test_data=args.test_data, learning_rate=args.learning_rate,
                      iterations=args.iterations, seed=args.seed, dtype=args.dtype,
                      print_every=args.print_every, run_dir=args.run_dir, mode=args.mode,
                      hidden_dims=hidden, activation=activation, init=init, resume=args.resume)


# What a resumed run takes from the run it continues; giving one of these with --resume is an error.
KEPT_ON_RESUME = ("dataset", "data", "test_data", "seed", "dtype", "hidden_units", "layer_dims",
                  "activation", "init")


def given_flags(parser, argv):
    """The names (dests) of the options actually given in ``argv``, defaults aside.

    argparse sets a default only on an attribute the namespace lacks, so parsing into a
    namespace pre-filled with a marker leaves the marker exactly where nothing was given."""
    unset = object()
    namespace = argparse.Namespace(**{k: unset for k in vars(parser.parse_args([]))})
    parser.parse_args(argv, namespace)
    return {k for k, v in vars(namespace).items() if v is not unset}


def check_resume_flags(given):
    """ValueError when a flag fixed by the resumed run is given beside --resume."""
    clash = sorted(k for k in given if k in KEPT_ON_RESUME)
    if clash:
        raise ValueError("--%s cannot be combined with --resume: a resumed run keeps the model, "
                         "data, seed and dtype of the run it continues"
                         % clash[0].replace("_", "-"))


def main(parser, model, argv=None, after=None):
    """Parse, run, report. ``after(config, metrics)`` adds script-specific output. Returns the exit status."""
    args = parser.parse_args(argv)
    config = config_from_args(model, args)
    try:
        if args.resume:
            given = given_flags(parser, argv)
            check_resume_flags(given)
            run.apply_resume(config, given)
        metrics = run.execute(config)
        if after is not None:
            after(config, metrics)
    except ValueError as e:
        sys.stderr.write("error: %s\n" % (one_line(str(e)) or type(e).__name__))
        return 2
    except MemoryError:
        sys.stderr.write("error: not enough memory for this model and data; choose fewer units "
                         "or a smaller dataset\n")
        return 2
    except KeyboardInterrupt as e:  # stopping.Interrupted says where and what it saved
        sys.stderr.write("%s\n" % (str(e) or "interrupted"))
        return 130
    except Exception as e:  # a bug, not the user's input: one line unless asked for more
        if os.environ.get("TF_MODELS_TRACEBACK"):
            raise
        sys.stderr.write("error: unexpected %s: %s (this is a bug; TF_MODELS_TRACEBACK=1 shows the "
                         "traceback)\n" % (type(e).__name__, one_line(str(e))))
        return 1
    print("outputs in %s" % metrics["run_dir"])
    if config.backend == "tf":
        print("TensorBoard:  ./env.sh tensorboard --logdir %s --host 127.0.0.1   then open "
              "http://127.0.0.1:6006"
              % metrics["run_dir"])
    return 0
