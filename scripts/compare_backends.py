"""Train the NumPy reference and the TensorFlow graph side by side and check that they agree.

    python scripts/compare_backends.py --model deep                     # float64, 1000 iterations
    python scripts/compare_backends.py --model shallow --dtype float32 --iterations 3000
    python scripts/compare_backends.py --model logistic --perturb 1e-3  # see a real difference

Both start from the same NumPy parameters on the same data. Every --print-every iterations the
table shows both costs and the largest absolute difference between the two sets of parameters;
the last line gives the largest difference seen. Exit status 0 when it is within the dtype's
tolerance (tf_models/learner/compare_backends.py says which and why), 1 when it is not (here 1 is the answer,
not a bug), 2 on bad input (--out is checked before training), 130 on Ctrl-C, 143 on SIGTERM.
A plot of both cost curves and of the differences (log scale) is written to --out.
"""
from tf_models.run import program

if __name__ == "__main__":
    program.begin()  # SIGINT and SIGTERM wait for the script's answer (tf_models/run/program.py)

from tf_models.learner import compare_backends  # noqa: E402
from tf_models import datasets, models, settings  # noqa: E402
from tf_models.run import cli, console  # noqa: E402

ITERATIONS = 1000       # gradient-descent steps of each backend
PRINT_EVERY = 100       # a row of the table (and a point of the plot) every N steps
OUT = "runs/compare-{model}-{dtype}.png"


def build_parser():
    p = cli.ArgumentParser(description=__doc__.splitlines()[0],
                           epilog="exit status: 0 the backends agree; 1 they do not; 2 bad input "
                                  "or a failed write; 130 Ctrl-C; 143 SIGTERM")
    p.add_argument("--model", choices=models.MODELS, required=True)
    p.add_argument("--dtype", choices=settings.DTYPES, default="float64")
    p.add_argument("--iterations", type=cli.count_int, default=ITERATIONS)
    p.add_argument("--print-every", type=cli.count_int, default=PRINT_EVERY)
    p.add_argument("--dataset", choices=("default",) + datasets.DATASETS, default="default",
                   help="default: the model's training-script dataset (%s)" % ", ".join(
                       "%s: %s" % (m.name, m.defaults.dataset) for m in models.REGISTRY.values()))
    p.add_argument("--learning-rate", type=cli.positive_float,
                   help="alpha (default: the model's training-script value)")
    p.add_argument("--seed", type=cli.seed_int, default=1, help="seed for data, split and initialization")
    p.add_argument("--tolerance", type=cli.non_negative_float,
                   help="relative tolerance (default: %s)" % ", ".join(
                       "%s %.0e" % kv for kv in sorted(compare_backends.TOLERANCE.items())))
    p.add_argument("--perturb", type=cli.finite_float, default=0.0,
                   help="add this to the TF copy's first weight, to see a real difference")
    p.add_argument("--out", type=cli.figure_path,
                   help="plot file (default: %s)" % OUT.replace("{", "<").replace("}", ">"))
    return p


def main(argv=None):
    return cli.run(_compare, argv)


def _compare(argv):
    args = build_parser().parse_args(argv)
    out = cli.figure_path(args.out or OUT.format(model=args.model, dtype=args.dtype))
    console.say("NumPy vs TensorFlow: %s, %s, %d iterations"
                % (args.model, args.dtype, args.iterations))
    console.say(compare_backends.HEADER)
    result = compare_backends.compare_dataset(
        args.model, args.dataset, args.dtype, args.iterations, args.learning_rate,
        args.print_every, args.seed, args.tolerance, args.perturb,
        on_row=lambda row: console.say(compare_backends.format_row(row)))
    console.say(compare_backends.summary(result))
    cli.write_figure(out, lambda tmp: compare_backends.plot(
        result, tmp, "NumPy vs TensorFlow: %s, %s" % (args.model, args.dtype)), label="plot")
    return 0 if result.ok else 1


if __name__ == "__main__":
    program.exit(main)
