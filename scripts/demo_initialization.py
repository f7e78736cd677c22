"""Initialization (1.4.3.3): zeros vs randn·0.01 vs the text's rand·0.01 vs large vs He, cost curves.

    python scripts/demo_initialization.py
    python scripts/demo_initialization.py --iterations 1000 --backend tf

The deep network [2, 10, 5, 1] on the flower, once with tanh and once with ReLU hidden layers,
trained from each initialization with the same data, α and iterations.
"""
from tf_models.run import program

if __name__ == "__main__":
    program.begin()  # SIGINT and SIGTERM wait for the script's answer (tf_models/run/program.py)

from tf_models import settings  # noqa: E402
from tf_models.run import cli, console  # noqa: E402
from tf_models.demos import initialization  # noqa: E402

ITERATIONS = 3000
RUNS = (("tanh", 0.5), ("relu", 0.05))   # hidden activation and its α
OUT = "runs/demos/initialization.png"


def _demo(argv):
    p = cli.demo_parser(__doc__, OUT)
    p.add_argument("--iterations", type=cli.positive_int, default=ITERATIONS)
    p.add_argument("--backend", choices=settings.BACKENDS, default="numpy")
    args = p.parse_args(argv)
    results, titles = [], []
    for activation, alpha in RUNS:
        r = initialization.initialization(activation=activation, learning_rate=alpha,
                                          iterations=args.iterations, backend=args.backend)
        title = "[2, 10, 5, 1], %s, α = %g" % (activation, alpha)
        console.say(title)
        console.say("  %-8s %12s %12s %10s %10s" % ("init", "first J", "last J", "train acc", "test acc"))
        for method, run in r.items():
            console.say("  %-8s %12.4f %12.4f %10.3f %10.3f" % (method, run["costs"][0][1],
                                                         run["costs"][-1][1], run["train_accuracy"],
                                                         run["test_accuracy"]))
        results.append(r)
        titles.append(title)
    cli.write_figure(args.out, lambda tmp: initialization.plot_initialization(results, titles, tmp))
    return 0


def main(argv=None):
    return cli.run(_demo, argv)


if __name__ == "__main__":
    program.exit(main)
