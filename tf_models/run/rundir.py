"""Run directories: each training run writes into a folder of its own, never an existing run's.

A run owns its directory from its first moment: it creates it, or claims an existing empty one
by creating the lock file LOCK exclusively (O_EXCL) and holding an flock on it until the run ends;
a second run into a claimed or non-empty directory is refused. The kernel drops an flock when its
holder dies, however it dies (SIGKILL, the OOM killer): a LOCK that no process holds is stale,
and is taken over (``claim`` of an otherwise empty directory, ``take_over`` by ``--resume``).

    runs/<model>-<backend>-<date>-<time>/     the default, suffixed -1, -2, ... when taken
        metrics.json  params.h5  cost.png  decision_boundary.png (2-D data)
        train/  test/                         TensorBoard event files (TF backend)
        checkpoints/model.ckpt-<iteration>.*  TF checkpoints
"""
import datetime
import fcntl
import glob
import os
import shutil

# TF checkpoints of a run: <run>/checkpoints/model.ckpt-<iteration>. (Not "checkpoint": TF's own
# tools read a file of that name as a checkpoint index and warn when it is a folder.)
CHECKPOINT_DIR = "checkpoints"
# Held by the run that owns the directory, from its first moment to its end.
LOCK = ".run.lock"


class RunDir(object):
    """A run directory this process owns: ``path``, held by the lock file LOCK (O_EXCL-created,
    flock-ed) until ``release()``; ``abandon()`` removes what the run put there."""

    def __init__(self, path, created, fd):
        self.path, self.created, self.fd = path, created, fd

    def release(self):
        """Drop the lock (the finished run's files now mark the directory as taken)."""
        if self.fd is not None:
            _remove(os.path.join(self.path, LOCK))
            os.close(self.fd)
            self.fd = None

    def abandon(self):
        """A run that saved nothing: remove the directory it created (or empty the one it
        claimed), lock included."""
        lock = os.path.join(self.path, LOCK)
        if self.created:
            shutil.rmtree(self.path, ignore_errors=True)
        else:
            for name in os.listdir(self.path):
                if name != LOCK:
                    full = os.path.join(self.path, name)
                    shutil.rmtree(full, ignore_errors=True) if os.path.isdir(full) else _remove(full)
            _remove(lock)
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def claim(run_dir, label, root="runs"):
    """A RunDir owned by this run: ``run_dir`` created, or claimed when it exists and is empty;
    by default a new folder ``runs/<label>-<date>-<time>`` (suffixed if taken). ValueError
    (one line) when the directory is not empty, in use by another run, or not writable."""
    if run_dir:
        path = run_dir
        if os.path.exists(path) and (not os.path.isdir(path) or _others(path)):
            raise ValueError("run directory %s already exists and is not empty; choose a new "
                             "--run-dir (runs are never overwritten)" % path)
        try:
            os.mkdir(path)
            created = True
        except FileExistsError:
            created = False
        except OSError as e:
            try:
                os.makedirs(path)
                created = True
            except OSError:
                raise ValueError("cannot create run directory %s (%s); choose another --run-dir"
                                 % (path, e.strerror or e))
        return RunDir(path, created, _lock(path, created))
    path = _new_default(root, label)
    return RunDir(path, True, _lock(path, True))


def check_utf8(path):
    """ValueError when ``path`` is not valid UTF-8 (TensorFlow cannot write event files or
    checkpoints there)."""
    try:
        os.path.abspath(path).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("run directory %s: its name is not valid UTF-8, which TensorFlow's "
                         "event files and checkpoints need; choose another --run-dir or "
                         "--backend numpy" % path)


def make_run_dir(run_dir, label, root="runs"):
    """Create (or claim, when empty) and return a fresh run directory, released at once."""
    owned = claim(run_dir, label, root)
    owned.release()
    return owned.path


def _new_default(root, label):
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


def _lock(path, created):
    """Create and flock ``path``/LOCK exclusively (or take over a stale one); then the
    directory must hold nothing else."""
    try:
        fd = os.open(os.path.join(path, LOCK), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        held = take_over(path, "run directory %s" % path, "choose a new --run-dir")
        if held is None:  # its holder ended between our two looks: someone else's directory
            raise ValueError("run directory %s was in use by another run; choose a new --run-dir"
                             % path)
        fd = held.fd
    except OSError as e:
        if created:
            shutil.rmtree(path, ignore_errors=True)
        raise ValueError("run directory %s is not writable (%s); choose another --run-dir"
                         % (path, e.strerror or e))
    else:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            _write_pid(fd)
        except OSError as e:
            os.close(fd)
            _remove(os.path.join(path, LOCK))
            raise ValueError("run directory %s: cannot lock %s (%s); choose another --run-dir"
                             % (path, LOCK, e.strerror or e))
    if _others(path):  # someone wrote into it between our look and our lock
        os.close(fd)
        _remove(os.path.join(path, LOCK))
        raise ValueError("run directory %s already exists and is not empty; choose a new "
                         "--run-dir (runs are never overwritten)" % path)
    return fd


def take_over(path, what, advice):
    """A RunDir holding ``path``/LOCK, whose previous holder is dead (no process holds its
    flock); None when there is no LOCK; ValueError naming the holder's pid when it is alive
    (or the lock cannot be opened). ``what`` and ``advice`` word the error."""
    lock = os.path.join(path, LOCK)
    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:  # released meanwhile: nothing to take over
        return None
    except OSError as e:
        raise ValueError("%s: cannot open its %s (%s); %s" % (what, LOCK, e.strerror or e, advice))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        holder = _read_pid(fd)
        os.close(fd)
        raise ValueError("%s is in use by a running training (process %s holds its %s); %s"
                         % (what, holder or "unknown", LOCK, advice))
    _write_pid(fd)
    return RunDir(path, False, fd)


def _write_pid(fd):
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, ("%d\n" % os.getpid()).encode())


def _read_pid(fd):
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii", "replace").strip()
        return int(text) if text.isdigit() else None
    except OSError:
        return None


def _others(path):
    try:
        return [n for n in os.listdir(path) if n != LOCK]
    except OSError as e:
        raise ValueError("run directory %s cannot be read (%s); choose another --run-dir"
                         % (path, e.strerror or e))


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


def checkpoint_prefix(run_dir):
    """The path prefix of a run's checkpoints: <run>/checkpoints/model.ckpt."""
    return os.path.join(run_dir, CHECKPOINT_DIR, "model.ckpt")


def latest_checkpoint(run_dir):
    """(path prefix, iteration) of the newest ``checkpoints/model.ckpt-<iteration>`` in a run
    directory, or (None, None). Found from the files, so a moved run directory still works."""
    found = glob.glob(checkpoint_prefix(run_dir) + "-*.index")
    steps = sorted(int(s) for s in (f[:-len(".index")].rsplit("-", 1)[1] for f in found)
                   if s.isdigit())
    if not steps:
        return None, None
    return "%s-%d" % (checkpoint_prefix(run_dir), steps[-1]), steps[-1]
