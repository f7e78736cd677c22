"""The computation graph of 1.2.3, J = 3(a + bc): forward values and derivatives three ways.

    python scripts/demo_computation_graph.py                  # a = 7, b = 4, c = 2, as in the text
    python scripts/demo_computation_graph.py --a 5 --b 3 --c 2

Prints u, v, J and dJ/dv, dJ/du, dJ/da, dJ/db, dJ/dc by the hand chain rule, by tf.gradients and by
nudging each input by 0.001 (the text's method), beside the text's dJ/dc = 9 (ERRATA 2: it is 3b = 12),
and draws the graph to --out.
"""
from tf_models.run import program

if __name__ == "__main__":
    program.begin()  # SIGINT and SIGTERM wait for the script's answer (tf_models/run/program.py)

from tf_models.run import cli, console  # noqa: E402
from tf_models.demos import computation_graph  # noqa: E402

OUT = "runs/demos/computation_graph.png"


def _demo(argv):
    p = cli.demo_parser(__doc__, OUT)
    p.add_argument("--a", type=cli.finite_float, default=7.0)
    p.add_argument("--b", type=cli.finite_float, default=4.0)
    p.add_argument("--c", type=cli.finite_float, default=2.0)
    args = p.parse_args(argv)
    result = computation_graph.computation_graph(args.a, args.b, args.c)
    console.say("\n".join(computation_graph.table(result)))
    if result["text"]:
        console.say("(!) the text's value (ERRATA 2); the chain rule gives dJ/dc = dJ/du · du/dc = 3 · b = %g"
              % result["hand"]["dJ/dc"])
    cli.write_figure(args.out, lambda tmp: computation_graph.plot_computation_graph(result, tmp))
    return 0


def main(argv=None):
    return cli.run(_demo, argv)


if __name__ == "__main__":
    program.exit(main)
