"""Bad files for the reliability tests, each written fresh into a temporary directory.

``course_h5(path, ...)`` writes a file of the course's cat/non-cat layout (small images);
``bad_h5_files(tmp)`` writes one file per way such a file can be wrong and returns
{case: (path, words the error message must contain)}.
"""
import os

import numpy as np


def course_h5(path, split="train", m=6, shape=(4, 4, 3), labels=None, x=None, classes=True):
    """A course-layout file: <split>_set_x (m, *shape) uint8, <split>_set_y (m,) of 0/1."""
    import h5py
    rng = np.random.RandomState(0)
    if x is None:
        x = rng.randint(0, 256, size=(m,) + tuple(shape)).astype(np.uint8)
    if labels is None:
        labels = np.arange(m) % 2
    with h5py.File(path, "w") as f:
        f.create_dataset("%s_set_x" % split, data=x)
        f.create_dataset("%s_set_y" % split, data=np.asarray(labels))
        if classes:
            f.create_dataset("list_classes", data=np.array([b"non-cat", b"cat"]))
    return path


def truncated_copy(src, dst, fraction):
    """dst = the first ``fraction`` of src's bytes (a download or copy cut short)."""
    with open(src, "rb") as f:
        data = f.read()
    with open(dst, "wb") as f:
        f.write(data[:int(len(data) * fraction)])
    return dst


def bad_h5_files(tmp):
    """{case: (path, message fragment)} for every way a course HDF5 file can be wrong."""
    import h5py
    p = lambda name: os.path.join(str(tmp), name)  # noqa: E731
    good = course_h5(p("good_train.h5"), m=40, shape=(8, 8, 3))
    cases = {"missing": (p("no_such_file.h5"), "no such file")}
    os.mkdir(p("a_directory.h5"))
    cases["directory"] = (p("a_directory.h5"), "is a directory")
    with open(p("text.h5"), "w") as f:
        f.write("train_set_x,train_set_y\n1,0\n")
    cases["text file named .h5"] = (p("text.h5"), "not a readable HDF5 file")
    open(p("empty_file.h5"), "w").close()
    cases["zero-byte file"] = (p("empty_file.h5"), "not a readable HDF5 file")
    for frac in (0.1, 0.5, 0.9, 0.99):
        cases["truncated to %g" % frac] = (truncated_copy(good, p("cut%g.h5" % frac), frac), "h5")
    with h5py.File(p("wrong_keys.h5"), "w") as f:
        f.create_dataset("X", data=np.zeros((4, 2, 2, 3), np.uint8))
        f.create_dataset("Y", data=np.zeros(4))
    cases["wrong keys"] = (p("wrong_keys.h5"), "missing dataset")
    with h5py.File(p("group_not_dataset.h5"), "w") as f:
        f.create_group("train_set_x")
        f.create_dataset("train_set_y", data=np.zeros(4))
    cases["a group where a dataset belongs"] = (p("group_not_dataset.h5"), "missing dataset")
    course_h5(p("y_too_long.h5"), m=4, labels=np.arange(5) % 2)
    cases["x and y disagree"] = (p("y_too_long.h5"), "expected")
    course_h5(p("x_1d.h5"), m=4, x=np.arange(4, dtype=np.uint8))
    cases["x one-dimensional"] = (p("x_1d.h5"), "expected")
    course_h5(p("y_2cols.h5"), m=4, labels=np.zeros((4, 2)))
    cases["y two columns"] = (p("y_2cols.h5"), "expected")
    course_h5(p("labels_1_2.h5"), m=4, labels=np.array([1, 2, 1, 2]))
    cases["labels 1/2"] = (p("labels_1_2.h5"), "0 or 1")
    x = np.random.RandomState(0).rand(4, 2, 2, 3)
    x[1, 0, 0, 0] = np.nan
    course_h5(p("nan.h5"), m=4, x=x)
    cases["NaN pixel"] = (p("nan.h5"), "NaN")
    course_h5(p("no_examples.h5"), m=0)
    cases["no examples"] = (p("no_examples.h5"), "no examples")
    course_h5(p("strings.h5"), m=2, x=np.array([[b"ab", b"cd"], [b"ef", b"gh"]]))
    cases["text pixels"] = (p("strings.h5"), "dtype")
    course_h5(p("one_example.h5"), m=1)
    cases["one example, nothing to split"] = (p("one_example.h5"), "at least 2 examples")
    return cases
