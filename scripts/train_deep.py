"""Train a deep L-layer network (course 1.4) with TensorFlow or the NumPy reference.

    python scripts/train_deep.py                           # moons, layer_dims 20,7,5,1, relu, He init
    python scripts/train_deep.py --data train_catvnoncat.h5 --test-data test_catvnoncat.h5 \
        --layer-dims 20,7,5,1 --learning-rate 0.0075 --iterations 2500

Default initialization is He (√(2/n_prev)·randn): with the course's 0.01·randn a four-layer
ReLU network starts with vanishing activations and barely moves (``--init randn`` shows it).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tf_models import cli  # noqa: E402

LEARNING_RATE = 0.05
ITERATIONS = 5000
PRINT_EVERY = 500
DATASET = "moons"


def main(argv=None):
    parser = cli.build_parser("deep", __doc__.splitlines()[0], LEARNING_RATE, ITERATIONS,
                              PRINT_EVERY, DATASET)
    return cli.main(parser, "deep", argv)


if __name__ == "__main__":
    sys.exit(main())
