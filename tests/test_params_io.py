"""Parameter files (params.h5): round trip, attributes, atomic writes, one-line errors."""
import os

import numpy as np
import pytest

from tf_models import models
from tf_models.run import params_io

ATTRS = {"model": "shallow", "backend": "tf", "dtype": "float64", "dataset": "flower",
         "test_dataset": None, "layer_dims": [2, 4, 1], "activation": "tanh", "init": "randn",
         "learning_rate": 1.2, "iterations": 10, "seed": 1}


def shallow(dtype="float64"):
    return models.initial_parameters("shallow", [2, 4, 1], "randn", 1, dtype)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_round_trip_keeps_values_dtypes_and_attributes(tmpdir, dtype):
    path = os.path.join(str(tmpdir), "params.h5")
    saved = shallow(dtype)
    params_io.save_params(path, saved, dict(ATTRS, dtype=dtype))
    loaded, attrs = params_io.load_params(path)
    assert sorted(loaded) == ["W1", "W2", "b1", "b2"]
    for key in saved:
        assert loaded[key].dtype == np.dtype(dtype), key
        np.testing.assert_array_equal(loaded[key], saved[key], err_msg=key)
    assert attrs == dict(ATTRS, dtype=dtype)


def test_logistic_scalar_b_stays_a_scalar(tmpdir):
    path = os.path.join(str(tmpdir), "params.h5")
    saved = {"w": np.arange(3.0).reshape(3, 1), "b": np.float64(0.25)}
    params_io.save_params(path, saved, dict(ATTRS, model="logistic", layer_dims=[3, 1],
                                            activation=None))
    loaded, _ = params_io.load_params(path)
    assert np.ndim(loaded["b"]) == 0 and loaded["b"] == 0.25
    assert loaded["w"].shape == (3, 1)


def test_a_failed_write_leaves_the_previous_file_whole(tmpdir):
    """atomic_write: the old file survives a writer that dies half way; no temporary is left."""
    path = os.path.join(str(tmpdir), "params.h5")
    params_io.save_params(path, shallow(), ATTRS)
    with open(path, "rb") as f:
        before = f.read()

    def dies(tmp):
        with open(tmp, "wb") as f:
            f.write(b"half a file")
        raise RuntimeError("disk full")
    with pytest.raises(RuntimeError):
        params_io.atomic_write(path, dies)
    with open(path, "rb") as f:
        assert f.read() == before
    assert os.listdir(str(tmpdir)) == ["params.h5"]


@pytest.mark.parametrize("content,message", [
    (None, "no such file"),
    (b"not hdf5 at all", "not a readable HDF5 file"),
])
def test_unreadable_files_give_one_line_errors(tmpdir, content, message):
    path = os.path.join(str(tmpdir), "params.h5")
    if content is not None:
        with open(path, "wb") as f:
            f.write(content)
    with pytest.raises(ValueError) as e:
        params_io.load_params(path)
    assert message in str(e.value) and "\n" not in str(e.value)


def test_foreign_hdf5_and_wrong_shapes_are_refused(tmpdir):
    import h5py
    foreign = os.path.join(str(tmpdir), "foreign.h5")
    with h5py.File(foreign, "w") as f:
        f.create_dataset("train_set_x", data=np.zeros((2, 3)))
    with pytest.raises(ValueError) as e:
        params_io.load_params(foreign)
    assert "not a parameter file" in str(e.value)
    wrong = os.path.join(str(tmpdir), "wrong.h5")
    params_io.save_params(wrong, shallow(), dict(ATTRS, layer_dims=[3, 4, 1]))
    with pytest.raises(ValueError) as e:
        params_io.load_params(wrong)
    assert "do not fit" in str(e.value)
