"""No run and no saved file is ever lost.

- an existing run directory is never overwritten;
- params.h5 and metrics.json are written atomically: a crash mid-write leaves the previous file
  whole and no temporary file behind.

(Ctrl-C and SIGTERM: tests/test_signals.py; a hard kill: tests/test_hard_kill.py.)
"""
import json
import os

import numpy as np
import pytest

from tf_models.run import outputs, params_io, rundir


# ---- run directories ------------------------------------------------------------------------------

def test_an_existing_run_directory_is_never_overwritten(tmp_path):
    old = tmp_path / "run1"
    old.mkdir()
    (old / "metrics.json").write_text(u'{"status": "completed"}')
    with pytest.raises(ValueError) as info:
        rundir.make_run_dir(str(old), "shallow-tf")
    assert "already exists" in str(info.value) and "never overwritten" in str(info.value)
    assert os.listdir(str(old)) == ["metrics.json"]
    assert (old / "metrics.json").read_text() == u'{"status": "completed"}'


def test_a_file_or_an_unwritable_place_is_refused(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text(u"keep me")
    with pytest.raises(ValueError, match="already exists"):
        rundir.make_run_dir(str(a_file), "x")
    with pytest.raises(ValueError, match="cannot create run directory"):
        rundir.make_run_dir(str(a_file / "run"), "x")  # a directory inside a file
    with pytest.raises(ValueError, match="cannot create a run directory"):
        rundir.make_run_dir(None, "x", root=str(a_file))
    assert a_file.read_text() == u"keep me"


def test_an_empty_directory_is_used_and_default_names_never_collide(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert rundir.make_run_dir(str(empty), "x") == str(empty)
    made = [rundir.make_run_dir(None, "deep-tf", root=str(tmp_path / "runs")) for _ in range(5)]
    assert len(set(made)) == 5 and all(os.path.isdir(d) for d in made)


# ---- atomic writes ---------------------------------------------------------------------------------

def _params(value):
    return {"W1": np.full((2, 3), value), "b1": np.zeros((2, 1)),
            "W2": np.full((1, 2), value), "b2": np.zeros((1, 1))}


ATTRS = {"model": "shallow", "layer_dims": [3, 2, 1], "activation": "tanh", "dtype": "float64"}


@pytest.mark.parametrize("crash", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_a_crash_mid_write_leaves_the_previous_file_whole(tmp_path, crash):
    path = str(tmp_path / "params.h5")
    params_io.save_params(path, _params(1.0), ATTRS)

    def half_write_then_crash(tmp):
        with open(tmp, "wb") as f:
            f.write(b"\x89HDF\r\n\x1a\n half a file")
        raise crash
    with pytest.raises(type(crash)):
        params_io.atomic_write(path, half_write_then_crash)
    assert os.listdir(str(tmp_path)) == ["params.h5"], "a temporary file was left behind"
    loaded, _ = params_io.load_params(path)
    np.testing.assert_array_equal(loaded["W1"], _params(1.0)["W1"])


def test_save_params_failing_inside_h5py_keeps_the_old_parameters(tmp_path):
    path = str(tmp_path / "params.h5")
    params_io.save_params(path, _params(1.0), ATTRS)
    unstorable = dict(_params(2.0), W2=np.array([object()]))  # h5py cannot store object arrays
    with pytest.raises(Exception):  # noqa: B017 (whatever h5py raises: the old file must survive)
        params_io.save_params(path, unstorable, ATTRS)
    assert os.listdir(str(tmp_path)) == ["params.h5"]
    loaded, attrs = params_io.load_params(path)
    np.testing.assert_array_equal(loaded["W2"], _params(1.0)["W2"])
    assert attrs["layer_dims"] == [3, 2, 1]


def test_metrics_json_is_written_atomically(tmp_path):
    path = str(tmp_path / "metrics.json")
    outputs.write_json(path, {"status": "completed", "final_cost": 0.25})
    with pytest.raises(TypeError):
        outputs.write_json(path, {"status": "completed", "bad": object()})  # fails mid-dump
    assert os.listdir(str(tmp_path)) == ["metrics.json"]
    with open(path) as f:
        assert json.load(f) == {"status": "completed", "final_cost": 0.25}
