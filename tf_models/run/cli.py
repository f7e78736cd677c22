"""Command-line plumbing shared by the scripts (argparse, checked types, errors, exit status).

Exit status (EXIT_STATUSES, shown by every script's --help): 0 on success; 2 on bad input, with
a single line ``error: ...`` on stderr and no traceback (also when training diverges:
metrics.json then says "status": "diverged" and holds the last good parameters; and when an
output could not be written: the line says what failed and where the rest was saved); 130 after
Ctrl-C and 143 after SIGTERM (the parameters so far are saved, "status": "interrupted");
1 on an unexpected failure, a bug: one ``error:`` line, and the traceback when the environment
sets TF_MODELS_TRACEBACK=1.
"""
import argparse
import os
import shlex
import sys

from tf_models import activations, datasets, initializers, models, settings, updates
from tf_models.run import config as run_config
from tf_models.run import console
from tf_models.run.argtypes import (  # noqa: F401 (the scripts use them as cli.*)
    FIGURE_FORMATS, MAX_COUNT, count_int, figure_path, finite_float, float_list, input_file,
    int_list, layer_dims_arg, non_negative_float, positive_float, positive_int, seed_int)
from tf_models.run.endings import EXIT_STATUSES, ending, fail, finish, one_line, run  # noqa: F401



class ArgumentParser(argparse.ArgumentParser):
    """argparse that reports a bad argument as one ``error:`` line (exit 2) without the usage,
    and shows each option's default in --help."""

    def __init__(self, **kw):
        console.setup()  # every script's text encodes, whatever the locale
        kw.setdefault("formatter_class", argparse.ArgumentDefaultsHelpFormatter)
        kw.setdefault("epilog", EXIT_STATUSES)
        argparse.ArgumentParser.__init__(self, **kw)

    def error(self, message):
        console.warn("error: %s (see --help)" % one_line(message))
        sys.exit(2)


def write_figure(path, draw, label="figure"):
    """draw(tmp_path) then rename, so the picture appears whole or not at all; then say
    "label: path"."""
    from tf_models.run import params_io
    params_io.atomic_write(path, draw)
    console.say("%s: %s" % (label, path))


def demo_parser(doc, out):
    """The parser of a demonstration script: its docstring's first line, and --out."""
    p = ArgumentParser(description=doc.splitlines()[0])
    p.add_argument("--out", default=out, type=figure_path, help="where to write the figure")
    return p


# ---- the training scripts -------------------------------------------------------------------------

def build_parser(model, description, **defaults):
    """The flags of DESIGN.md for ``model``, its defaults from the registry (models.REGISTRY);
    ``defaults`` (by dest, e.g. iterations=10) replace some of them."""
    entry = models.get(model)
    d = entry.defaults
    p = ArgumentParser(description=description)
    p.add_argument("--backend", choices=settings.BACKENDS, default="tf",
                   help="which implementation trains")
    p.add_argument("--dataset", choices=datasets.DATASETS, default=d.dataset,
                   help="built-in dataset (digits: odd vs even)")
    p.add_argument("--data", metavar="TRAIN.h5", type=input_file,
                   help="train on an HDF5 file of the course's cat/non-cat layout instead")
    p.add_argument("--test-data", metavar="TEST.h5", type=input_file,
                   help="test set for --data (default: a seeded 25%% hold-out of the training file)")
    p.add_argument("--learning-rate", type=positive_float, default=d.learning_rate,
                   help="alpha, the gradient-descent step")
    p.add_argument("--update", choices=sorted(updates.RULES), default="gradient_descent",
                   help="the update rule (gradient descent: theta := theta - alpha d_theta)")
    p.add_argument("--iterations", type=count_int, default=d.iterations,
                   help="gradient-descent steps (at most 2^31 - 1)")
    p.add_argument("--seed", type=seed_int, default=1, help="seed for data, split and initialization")
    p.add_argument("--dtype", choices=settings.DTYPES, default="float64")
    p.add_argument("--print-every", type=count_int, default=d.print_every,
                   help="print and record the cost every N iterations (at most 2^31 - 1)")
    p.add_argument("--run-dir", help="output folder (new, or an existing empty one, which the run "
                                      "then owns; default: a new folder in runs/)")
    p.add_argument("--resume", metavar="RUN_DIR",
                   help="continue the run in RUN_DIR for --iterations more steps, into a new run "
                        "directory; its model, data, seed and dtype are kept (TF restores its "
                        "latest checkpoint, NumPy its params.h5)")
    p.add_argument("--quiet", action="store_true",
                   help="print only the summary (no record lines, no progress bar)")
    p.add_argument("--progress-seconds", type=positive_float, default=run_config.PROGRESS_SECONDS,
                   metavar="S", help="while training, save params.h5 and metrics.json (\"status\": "
                   "\"running\") at least every S seconds, so that a hard kill (SIGKILL, the "
                   "OOM killer, a power cut) loses little: --resume goes on from there")
    p.add_argument("--mode", choices=settings.TF_MODES, default="loop",
                   help="TF only: loop = many steps per Session.run (fast); step = one run per "
                        "step; feed = the textbook loop feeding the data every step")
    if entry.hidden_layers == 1:
        p.add_argument("--hidden-units", type=positive_int, default=d.hidden_dims[0],
                       help="n_h, units in the hidden layer")
    if entry.hidden_layers is None:
        p.add_argument("--layer-dims", type=layer_dims_arg, default=list(d.hidden_dims) + [1],
                       help="units of each layer after the input, comma-separated, last 1")
        p.add_argument("--init", choices=sorted(initializers.INIT_METHODS), default=d.init,
                       help="weight initialization (1.4.3.3)")
    if entry.hidden_layers != 0:
        p.add_argument("--activation", choices=activations.HIDDEN_ACTIVATIONS,
                       default=d.activation, help="hidden-layer activation g")
    p.set_defaults(**defaults)
    return p


def config_from_args(model, args):
    """A checked RunConfig from parsed arguments (the flags a model lacks keep its defaults)."""
    fields = dict(model=model, backend=args.backend, dataset=args.dataset, data=args.data,
                  test_data=args.test_data, learning_rate=args.learning_rate, update=args.update,
                  iterations=args.iterations, seed=args.seed, dtype=args.dtype,
                  print_every=args.print_every, run_dir=args.run_dir, mode=args.mode,
                  resume=args.resume, progress_seconds=args.progress_seconds)
    for flag, field, value in (("hidden_units", "hidden_dims", lambda n: [n]),
                               ("layer_dims", "hidden_dims", lambda dims: dims[:-1]),
                               ("init", "init", None), ("activation", "activation", None)):
        if flag in args:  # the flags this model's parser has
            fields[field] = value(getattr(args, flag)) if value else getattr(args, flag)
    return run_config.make(**fields)


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
    """Parse, run, report. ``after(config, metrics, run)`` adds script-specific output (``run``:
    the run's transaction.Run). Returns the exit status (EXIT_STATUSES). The run's transaction
    answers SIGINT and SIGTERM throughout."""
    from tf_models.run import transaction
    training = transaction.Run()
    return run(_train, training, parser, model, argv, after, answer=training)


def _train(training, parser, model, argv, after):
    from tf_models.run import execute, resume
    args = parser.parse_args(argv)
    config = config_from_args(model, args)
    if args.resume:
        check_resume_flags(given_flags(parser, argv))
        config = resume.apply(config, given_flags(parser, argv))
    config = run_config.check(config)
    metrics = execute.execute(config, args.quiet, training)
    if after is not None:
        after(config, metrics, training)
    console.say("outputs in %s" % metrics["run_dir"])
    if config.backend == "tf":
        console.say("TensorBoard:  %s   then open http://127.0.0.1:6006"
                    % tensorboard_command(metrics["run_dir"]))
    return 0


def tensorboard_command(run_dir):
    """The shell command that opens TensorBoard on ``run_dir`` from this stack's environment,
    bound to 127.0.0.1, every path quoted for a POSIX shell. env.sh runs commands from the
    project's root, so a path is made absolute unless that root is the current directory."""
    venv = os.path.basename(os.path.normpath(sys.prefix))
    root = os.path.dirname(os.path.normpath(sys.prefix))
    env_sh = os.path.join(root, "env.sh")
    logdir = run_dir
    if venv.startswith(".venv-") and os.path.isfile(env_sh):
        here = os.path.abspath(os.getcwd()) == os.path.abspath(root)
        stack = venv[len(".venv-"):]
        prefix = ("" if stack == "pinned" else "STACK=%s " % shlex.quote(stack)) + \
            ("./env.sh" if here else shlex.quote(env_sh)) + " "
        logdir = run_dir if here else os.path.abspath(run_dir)
    else:  # not one of the project's environments: the tensorboard on PATH
        prefix = ""
    return "%stensorboard --logdir %s --host 127.0.0.1" % (prefix, shlex.quote(logdir))
