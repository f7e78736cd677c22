"""Hidden layer size (1.4.3.2) on the flower: 1, 2, 3, 4, 5, 20, 50 tanh units, decision boundaries.

    python scripts/demo_hidden_units.py
    python scripts/demo_hidden_units.py --sizes 1,4,50 --iterations 2000
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tf_models import models  # noqa: E402
from tf_models.demos import hidden_units  # noqa: E402

ITERATIONS = 5000
LEARNING_RATE = 1.2
OUT = "runs/demos/hidden_units.png"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--sizes", default=",".join(str(n) for n in hidden_units.SIZES),
                   help="hidden layer sizes n_h, comma-separated")
    p.add_argument("--iterations", type=int, default=ITERATIONS)
    p.add_argument("--learning-rate", type=float, default=LEARNING_RATE)
    p.add_argument("--backend", choices=models.BACKENDS, default="numpy")
    p.add_argument("--out", default=OUT, help="where to write the figure")
    args = p.parse_args(argv)
    sizes = [int(n) for n in args.sizes.split(",")]
    ds, runs = hidden_units.hidden_units(sizes, learning_rate=args.learning_rate,
                                         iterations=args.iterations, backend=args.backend)
    print("%5s %10s %10s %10s" % ("n_h", "final J", "train acc", "test acc"))
    for run in runs:
        print("%5d %10.4f %10.3f %10.3f" % (run["n_h"], run["costs"][-1][1], run["train_accuracy"],
                                           run["test_accuracy"]))
    hidden_units.plot_hidden_units(ds, runs, path=args.out)
    print("figure: %s" % args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
