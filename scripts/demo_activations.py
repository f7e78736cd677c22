"""Activation functions (1.3.4): sigmoid, tanh, ReLU, leaky ReLU and their derivatives, plotted.

    python scripts/demo_activations.py

The curves come from tf_models.activations (the NumPy networks' functions); the script also
computes them with TensorFlow and tf.gradients and prints the largest difference.
"""
from tf_models.run import program

if __name__ == "__main__":
    program.begin()  # SIGINT and SIGTERM wait for the script's answer (tf_models/run/program.py)

import numpy as np  # noqa: E402

from tf_models.run import cli, console  # noqa: E402
from tf_models.demos import activation_functions  # noqa: E402

OUT = "runs/demos/activations.png"


def _demo(argv):
    p = cli.demo_parser(__doc__, OUT)
    args = p.parse_args(argv)
    z = np.linspace(-5, 5, 401)
    ours, theirs = activation_functions.curves(z), activation_functions.by_tensorflow(z)
    console.say("%-11s %22s %22s" % ("", "max |g − g_TF|", "max |g' − g'_TF|"))
    for name in activation_functions.NAMES:
        console.say("%-11s %22.2e %22.2e" % (name, np.max(np.abs(ours[name][0] - theirs[name][0])),
                                      np.max(np.abs(ours[name][1] - theirs[name][1]))))
    cli.write_figure(args.out, lambda tmp: activation_functions.plot_activations(z, tmp))
    return 0


def main(argv=None):
    return cli.run(_demo, argv)


if __name__ == "__main__":
    program.exit(main)
