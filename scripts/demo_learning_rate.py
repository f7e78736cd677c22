"""The learning rate α: the shallow network on the flower with several α, one of them far too large.

    python scripts/demo_learning_rate.py
    python scripts/demo_learning_rate.py --rates 0.1,1.2,50 --iterations 1000

Each run's cost curve, and what it did: converges, oscillates (goes up on the way) or diverges
(ends above where it started). The cost is computed from the logits, so even α = 100 gives finite
numbers to plot.
"""
from tf_models.run import program

if __name__ == "__main__":
    program.begin()  # SIGINT and SIGTERM wait for the script's answer (tf_models/run/program.py)

from tf_models import settings  # noqa: E402
from tf_models.run import cli, console  # noqa: E402
from tf_models.demos import learning_rate  # noqa: E402

ITERATIONS = 2000
OUT = "runs/demos/learning_rate.png"


def _demo(argv):
    p = cli.demo_parser(__doc__, OUT)
    p.add_argument("--rates", type=cli.float_list, default=list(learning_rate.RATES),
                   help="values of α, comma-separated")
    p.add_argument("--iterations", type=cli.positive_int, default=ITERATIONS)
    p.add_argument("--backend", choices=settings.BACKENDS, default="numpy")
    args = p.parse_args(argv)
    rates = args.rates
    results = learning_rate.learning_rates(rates, iterations=args.iterations, backend=args.backend)
    console.say("%8s %10s %10s %10s %10s  %s" % ("α", "first J", "max J", "last J", "test acc", ""))
    for alpha, r in results.items():
        J = [c for _, c in r["costs"]]
        console.say("%8g %10.4f %10.4f %10.4f %10.3f  %s" % (alpha, J[0], max(J), J[-1],
                                                      r["test_accuracy"], r["status"]))
    cli.write_figure(args.out, lambda tmp: learning_rate.plot_learning_rates(results, tmp))
    return 0


def main(argv=None):
    return cli.run(_demo, argv)


if __name__ == "__main__":
    program.exit(main)
