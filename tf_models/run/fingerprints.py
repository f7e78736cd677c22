"""The identity of a run's data files: a fingerprint of each, recorded and checked again.

    fingerprint(path)                 "sha256:<hex>" of a file's content
    fingerprints(paths)               {absolute path: fingerprint} of the data files of a run
    changed(recorded)                 the files whose content differs from a recorded fingerprint

metrics.json and params.h5 record ``data_fingerprints``; ``--resume`` refuses a run whose data
changed, and predict.py warns when it evaluates on the run's own file and that file changed.
"""
import hashlib
import os

from tf_models.run import inputs

MB = 2 ** 20


def fingerprint(path, chunk=MB):
    """"sha256:<hex digest>" of the file's bytes; ValueError when it is not a regular file."""
    h = hashlib.sha256()
    with inputs.open_binary(path, "a data file") as f:
        for block in iter(lambda: f.read(chunk), b""):
            h.update(block)
    return "sha256:" + h.hexdigest()


def fingerprints(paths):
    """{absolute path: fingerprint} for the given files (None entries skipped)."""
    return {os.path.abspath(p): fingerprint(p) for p in paths if p}


def changed(recorded):
    """The paths of ``recorded`` ({path: fingerprint}) whose file now differs or is gone."""
    out = []
    for path, want in sorted((recorded or {}).items()):
        try:
            if fingerprint(path) != want:
                out.append(path)
        except (OSError, IOError, ValueError):  # gone, unreadable, or no longer a regular file
            out.append(path)
    return out
