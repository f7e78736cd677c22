"""Parameter files (``params.h5``): one HDF5 dataset per parameter plus attributes.

Datasets: ``W1``, ``b1``, ... (or ``w``, ``b``) in the training dtype. Attributes: ``model``
(logistic, shallow, deep), ``layer_dims``, ``activation``, ``dtype`` and the training settings
(``backend``, ``dataset``, ``seed``, ``learning_rate``, ``iterations``, ...). Either backend
writes and reads the same file.

Writes are atomic: the file is written beside its destination under a temporary name, flushed
to disk, then renamed over it, so a crash mid-write leaves the previous file whole.
"""
import json
import os
import tempfile

import numpy as np

from tf_models import models, settings
from tf_models.run import inputs


def atomic_write(path, write, exclusive=False, durable=True):
    """Call write(tmp_path), fsync it, then rename it to ``path`` (same directory, same
    filesystem). The temporary name keeps the file's extension (matplotlib reads the format
    from it). ``exclusive``: never replace an existing ``path`` (FileExistsError): the finished
    file is hard-linked to its name, which fails when the name is taken. ``durable=False``
    skips the two fsyncs (the file and the rename): still whole after the process is killed
    (the kernel keeps what was written), not promised after a power cut; a run's progress
    saves use it, every few seconds, where the fsyncs were most of a save's cost."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".",
                               suffix=".tmp" + os.path.splitext(path)[1], dir=directory)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp makes it 0600: give it the user's umask
    try:
        write(tmp)
        if durable:
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
        if exclusive:
            os.link(tmp, path)
            os.remove(tmp)
        else:
            os.replace(tmp, path)
        if durable:
            _sync(directory)  # the rename itself survives a power cut
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _sync(directory):
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # a filesystem that cannot sync a directory: the rename stands anyway
        pass
    finally:
        os.close(fd)


def current_umask():
    """The process's umask (read by setting it and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def save_params(path, parameters, attrs, durable=True):
    """Write ``parameters`` (dict of arrays/scalars) and ``attrs`` (JSON-able values) to ``path``.

    The HDF5 file is built in memory (h5py's "core" driver) and its bytes written with plain
    file I/O, so a failing disk is an ordinary OSError and leaves HDF5 no half-open file."""
    import h5py
    f = h5py.File("params-in-memory.h5", "w", driver="core", backing_store=False)
    try:
        for name in sorted(parameters):
            f.create_dataset(name, data=np.asarray(parameters[name]))
        for key, value in attrs.items():
            f.attrs[key] = json.dumps(value)
        f.flush()
        image = f.id.get_file_image()
    finally:
        f.close()

    def write(tmp):
        with open(tmp, "wb") as out:
            out.write(image)
    atomic_write(path, write, durable=durable)


def load_params(path):
    """Read a params.h5: returns (parameters dict of NumPy arrays, attrs dict).

    Raises ValueError with a one-line reason when the file is missing or not a parameter file.
    """
    import h5py
    inputs.check(path, "a params.h5 written by a training script")
    try:
        f = h5py.File(path, "r")
    except (OSError, IOError):
        raise ValueError("%s: not a readable HDF5 file" % path)
    with f:
        try:
            attrs = {k: json.loads(_text(v)) for k, v in f.attrs.items()}
            parameters = {k: np.array(f[k]) for k in f.keys()}
        except Exception as e:  # h5py's errors on a damaged file vary with the version
            raise ValueError("%s: could not read parameters (%s)"
                             % (path, (str(e).splitlines() or [type(e).__name__])[0]))
    if attrs.get("model") not in models.MODELS:
        raise ValueError("%s: not a parameter file of this project (attribute 'model' should be one "
                         "of %s)" % (path, ", ".join(models.MODELS)))
    for name, value in parameters.items():
        if value.ndim == 0:
            parameters[name] = value.dtype.type(value)
    _check_shapes(path, parameters, attrs)
    try:
        settings.check_dtype(attrs.get("dtype"))
    except (ValueError, TypeError):
        raise ValueError("%s: attribute dtype is %r; a parameter file records one of %s"
                         % (path, attrs.get("dtype"), ", ".join(settings.DTYPES)))
    return parameters, attrs


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def _check_shapes(path, parameters, attrs):
    dims = attrs.get("layer_dims")
    if not isinstance(dims, list) or len(dims) < 2:
        raise ValueError("%s: attribute layer_dims is missing or invalid" % path)
    want = models.get(attrs["model"]).layout.expected_shapes(dims)
    got = {k: tuple(np.shape(v)) for k, v in parameters.items()}
    if got != want:
        raise ValueError("%s: parameters %s do not fit a %s model with layer_dims %s (expected %s)"
                         % (path, got, attrs["model"], dims, want))
