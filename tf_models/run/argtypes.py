"""The checked types of the scripts' flags: every integer, float, list and file flag goes
through one of these (argparse turns their ArgumentTypeError into one ``error:`` line)."""
import argparse
import os
import tempfile

from tf_models import initializers, settings

MAX_COUNT = 2 ** 31 - 1  # iterations and intervals: TensorFlow counts steps in int32


def positive_int(text):
    """A whole number ≥ 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a whole number, got %r" % text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1, got %d" % value)
    return value


def count_int(text):
    """A whole number from 1 to MAX_COUNT (2^31 - 1): an iteration count or interval."""
    value = positive_int(text)
    if value > MAX_COUNT:
        raise argparse.ArgumentTypeError("must be at most %d, got %d" % (MAX_COUNT, value))
    return value


def seed_int(text):
    """A seed: a whole number from 0 to 2^32 - 1."""
    try:
        return settings.check_seed(int(text))
    except ValueError:
        raise argparse.ArgumentTypeError("expected a whole number from 0 to %d, got %r"
                                         % (2 ** 32 - 1, text))


def positive_float(text):
    """A finite number > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a number, got %r" % text)
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("must be a positive finite number, got %s" % text)
    return value


def non_negative_float(text):
    """A finite number ≥ 0."""
    value = finite_float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more, got %s" % text)
    return value


def finite_float(text):
    """Any finite number."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a number, got %r" % text)
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError("must be a finite number, got %s" % text)
    return value


def int_list(text):
    """'1,4,50' -> [1, 4, 50]: positive whole numbers separated by commas."""
    try:
        values = [int(t) for t in text.split(",")]
    except ValueError:
        values = []
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("expected positive whole numbers separated by commas such "
                                         "as 1,4,20; got %r" % text)
    return values


def float_list(text):
    """'0.1,1.2' -> [0.1, 1.2]: positive finite numbers separated by commas."""
    try:
        return [positive_float(t) for t in text.split(",")]
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError("expected positive numbers separated by commas such as "
                                         "0.1,1.2; got %r" % text)


def layer_dims_arg(text):
    """'20,7,5,1' -> [20, 7, 5, 1]: units of each layer after the input, the last one 1."""
    try:
        dims = [int(t) for t in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError("expected whole numbers separated by commas such as 20,7,5,1; "
                                         "got %r" % text)
    try:
        initializers.check_layer_dims([1] + dims)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e).replace("[1, ", "[n_x, "))
    return dims


def input_file(text):
    """A file to read: a regular file (a FIFO, a directory, a device or a socket is refused at
    once: reading one would block, or never end)."""
    from tf_models.run import inputs
    try:
        inputs.check(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e))
    return text


FIGURE_FORMATS = ("png", "pdf", "svg", "svgz", "eps", "ps")


def figure_path(text):
    """A picture file to write: a known extension (FIGURE_FORMATS) in a directory that exists
    (or can be made) and takes files; checked before any work is done."""
    ext = os.path.splitext(text)[1].lstrip(".").lower()
    if ext not in FIGURE_FORMATS:
        raise argparse.ArgumentTypeError("%r: the picture's name must end in .%s"
                                         % (text, ", .".join(FIGURE_FORMATS)))
    folder = os.path.dirname(os.path.abspath(text))
    parent = folder
    while not os.path.exists(parent):
        parent = os.path.dirname(parent)
    if not os.path.isdir(parent):
        raise argparse.ArgumentTypeError("cannot write %s: %s is not a directory" % (text, parent))
    try:
        os.makedirs(folder, exist_ok=True)
        tempfile.TemporaryFile(dir=folder).close()
    except OSError as e:
        raise argparse.ArgumentTypeError("cannot write into %s (%s)" % (folder, e.strerror or e))
    if os.path.isdir(text):
        raise argparse.ArgumentTypeError("%r is a directory" % text)
    return text


