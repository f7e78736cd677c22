"""Run directories: each training run writes into a folder of its own, never an existing run's.

    runs/<model>-<backend>-<date>-<time>/     the default, suffixed -1, -2, ... when taken
        metrics.json  params.h5  cost.png  decision_boundary.png (2-D data)
        train/  test/                         TensorBoard event files (TF backend)
        checkpoints/model.ckpt-<iteration>.*  TF checkpoints
"""
import datetime
import glob
import os

# TF checkpoints of a run: <run>/checkpoints/model.ckpt-<iteration>. (Not "checkpoint": TF's own
# tools read a file of that name as a checkpoint index and warn when it is a folder.)
CHECKPOINT_DIR = "checkpoints"


def make_run_dir(run_dir, label, root="runs"):
    """Create and return a fresh run directory. A given ``run_dir`` must not exist yet (or be
    empty); by default a new folder ``runs/<label>-<date>-<time>`` (suffixed if taken)."""
    if run_dir:
        if os.path.exists(run_dir) and (not os.path.isdir(run_dir) or os.listdir(run_dir)):
            raise ValueError("run directory %s already exists and is not empty; choose a new "
                             "--run-dir (runs are never overwritten)" % run_dir)
        try:
            os.makedirs(run_dir, exist_ok=True)
        except OSError as e:
            raise ValueError("cannot create run directory %s (%s); choose another --run-dir"
                             % (run_dir, e.strerror or e))
        return run_dir
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = os.path.join(root, "%s-%s" % (label, stamp))
    for n in range(1000):
        path = base if n == 0 else "%s-%d" % (base, n)
        try:
            os.makedirs(path)
            return path
        except FileExistsError:
            continue
        except OSError as e:
            raise ValueError("cannot create a run directory under %s (%s); pass a writable "
                             "--run-dir" % (root, e.strerror or e))
    raise ValueError("could not create a new run directory under %s" % root)


def checkpoint_prefix(run_dir):
    """The path prefix of a run's checkpoints: <run>/checkpoints/model.ckpt."""
    return os.path.join(run_dir, CHECKPOINT_DIR, "model.ckpt")


def latest_checkpoint(run_dir):
    """(path prefix, iteration) of the newest ``checkpoints/model.ckpt-<iteration>`` in a run
    directory, or (None, None). Found from the files, so a moved run directory still works."""
    found = glob.glob(checkpoint_prefix(run_dir) + "-*.index")
    steps = sorted(int(f[:-len(".index")].rsplit("-", 1)[1]) for f in found)
    if not steps:
        return None, None
    return "%s-%d" % (checkpoint_prefix(run_dir), steps[-1]), steps[-1]
