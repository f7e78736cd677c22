"""Hidden layer size (1.4.3.2) on the flower: 1, 2, 3, 4, 5, 20, 50 tanh units, decision boundaries.

    python scripts/demo_hidden_units.py
    python scripts/demo_hidden_units.py --sizes 1,4,50 --iterations 2000
"""
from tf_models.run import program

if __name__ == "__main__":
    program.begin()  # SIGINT and SIGTERM wait for the script's answer (tf_models/run/program.py)

from tf_models import settings  # noqa: E402
from tf_models.run import cli, console  # noqa: E402
from tf_models.demos import hidden_units  # noqa: E402

ITERATIONS = 5000
LEARNING_RATE = 1.2
OUT = "runs/demos/hidden_units.png"


def _demo(argv):
    p = cli.demo_parser(__doc__, OUT)
    p.add_argument("--sizes", type=cli.int_list, default=list(hidden_units.SIZES),
                   help="hidden layer sizes n_h, comma-separated")
    p.add_argument("--iterations", type=cli.positive_int, default=ITERATIONS)
    p.add_argument("--learning-rate", type=cli.positive_float, default=LEARNING_RATE)
    p.add_argument("--backend", choices=settings.BACKENDS, default="numpy")
    args = p.parse_args(argv)
    sizes = args.sizes
    ds, runs = hidden_units.hidden_units(sizes, learning_rate=args.learning_rate,
                                         iterations=args.iterations, backend=args.backend)
    console.say("%5s %10s %10s %10s" % ("n_h", "final J", "train acc", "test acc"))
    for run in runs:
        console.say("%5d %10.4f %10.3f %10.3f" % (run["n_h"], run["costs"][-1][1], run["train_accuracy"],
                                           run["test_accuracy"]))
    cli.write_figure(args.out, lambda tmp: hidden_units.plot_hidden_units(ds, runs, path=tmp))
    return 0


def main(argv=None):
    return cli.run(_demo, argv)


if __name__ == "__main__":
    program.exit(main)
