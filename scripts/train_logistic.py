"""Train logistic regression (course 1.2) with TensorFlow or the NumPy reference.

    python scripts/train_logistic.py                       # breast_cancer, TF backend
    python scripts/train_logistic.py --backend numpy --dtype float64
    python scripts/train_logistic.py --data train_catvnoncat.h5 --test-data test_catvnoncat.h5 \
        --learning-rate 0.005 --iterations 2000
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tf_models import cli  # noqa: E402

# Defaults: breast_cancer, standardized with the training split's statistics.
LEARNING_RATE = 0.05
ITERATIONS = 2000
PRINT_EVERY = 100
DATASET = "breast_cancer"


def main(argv=None):
    parser = cli.build_parser("logistic", __doc__.splitlines()[0], LEARNING_RATE, ITERATIONS,
                              PRINT_EVERY, DATASET)
    return cli.main(parser, "logistic", argv)


if __name__ == "__main__":
    sys.exit(main())
