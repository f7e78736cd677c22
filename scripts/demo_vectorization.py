"""Vectorization (1.2.4.1): a Python for loop vs np.dot vs TensorFlow, timed.

    python scripts/demo_vectorization.py                 # dot product of 10^6 numbers, a logistic step
    python scripts/demo_vectorization.py --n 100000 --repeats 5

Two experiments: the text's dot product c = Σ a_i b_i, and one forward + backward pass of logistic
regression on the digits training split (64 features), computed by the per-example loop of 1.2.4
(reference.logistic.propagate_loop), by the vectorized formulas of 1.2.4.2 (propagate) and by the TF
graph. Prints each time and its ratio to the fastest, checks that the three agree, and draws the
times to --out. Timings depend on the machine and on what else runs on it.
"""
from tf_models.run import program

if __name__ == "__main__":
    program.begin()  # SIGINT and SIGTERM wait for the script's answer (tf_models/run/program.py)

import numpy as np  # noqa: E402

from tf_models.run import cli, console  # noqa: E402
from tf_models.demos import vectorization  # noqa: E402

N = 10 ** 6       # length of the vectors of the dot product (the text uses 10^5)
REPEATS = 3       # NumPy and TF are timed this many times, the best time kept
OUT = "runs/demos/vectorization.png"


def _demo(argv):
    p = cli.demo_parser(__doc__, OUT)
    p.add_argument("--n", type=cli.positive_int, default=N, help="length of the vectors")
    p.add_argument("--repeats", type=cli.positive_int, default=REPEATS)
    args = p.parse_args(argv)

    dot = vectorization.dot_product(args.n, repeats=args.repeats)
    console.say("\n".join(vectorization.table(dot, "dot product of %d numbers" % args.n)))
    console.say("c: " + ", ".join("%s %.10f" % (k, dot["values"][k]) for k in vectorization.METHODS))

    X, Y, parameters = vectorization.digits_problem()
    step = vectorization.training_step(X, Y, parameters, repeats=args.repeats)
    console.say()
    console.say("\n".join(vectorization.table(step, "one logistic-regression step, n_x = %d, m = %d"
                                        % (step["n_x"], step["m"]))))
    dw = [step["grads"][k]["dw"] for k in vectorization.METHODS]
    console.say("largest difference in dw between the three: %.2e; J: %s" % (
        max(np.max(np.abs(a - b)) for a in dw for b in dw),
        ", ".join("%.12f" % step["costs"][k] for k in vectorization.METHODS)))

    cli.write_figure(args.out, lambda tmp: vectorization.plot_vectorization(dot, step, tmp))
    return 0


def main(argv=None):
    return cli.run(_demo, argv)


if __name__ == "__main__":
    program.exit(main)
