"""Train logistic regression (course 1.2) with TensorFlow or the NumPy reference.

    python scripts/train_logistic.py                       # breast_cancer, TF backend
    python scripts/train_logistic.py --backend numpy --dtype float64
    python scripts/train_logistic.py --data train_catvnoncat.h5 --test-data test_catvnoncat.h5 \
        --learning-rate 0.005 --iterations 2000

The defaults (breast_cancer standardized with the training split's statistics, alpha 0.05,
2000 iterations) are logistic regression's entry in tf_models.models.REGISTRY.
"""
from tf_models.run import program

if __name__ == "__main__":
    program.begin()  # SIGINT and SIGTERM wait for the script's answer (tf_models/run/program.py)

from tf_models.run import cli  # noqa: E402


def main(argv=None):
    parser = cli.build_parser("logistic", __doc__.splitlines()[0])
    return cli.main(parser, "logistic", argv)


if __name__ == "__main__":
    program.exit(main)
