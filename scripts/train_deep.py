"""Train a deep L-layer network (course 1.4) with TensorFlow or the NumPy reference.

    python scripts/train_deep.py                           # breast_cancer, layer_dims 20,7,5,1, relu
    python scripts/train_deep.py --data train_catvnoncat.h5 --test-data test_catvnoncat.h5
    python scripts/train_deep.py --dataset moons --learning-rate 0.05 --init he

The defaults (deep's entry in tf_models.models.REGISTRY) are the course exercise's cat/non-cat
settings (α = 0.0075, 2500 iterations, [n_x, 20, 7, 5, 1]), so they also suit --data with the
cat files. Initialization defaults to
Xavier (randn·√(1/n_prev)): with the course's randn·0.01 the activations of a four-layer ReLU
network shrink ~100× per layer and training stalls (``--init randn`` shows it).
"""
from tf_models.run import program

if __name__ == "__main__":
    program.begin()  # SIGINT and SIGTERM wait for the script's answer (tf_models/run/program.py)

from tf_models.run import cli  # noqa: E402


def main(argv=None):
    parser = cli.build_parser("deep", __doc__.splitlines()[0])
    return cli.main(parser, "deep", argv)


if __name__ == "__main__":
    program.exit(main)
