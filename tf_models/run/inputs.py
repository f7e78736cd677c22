"""Input files are regular files: a FIFO, a directory, a device or a socket is refused at once.

A named pipe given as ``--data`` made a script wait for ever (opening a FIFO for reading waits
for a writer, and /dev/zero never ends). ``check`` looks without waiting: the path is opened
with O_NONBLOCK (a FIFO then opens at once, a socket fails) and what was opened is checked with
fstat, so that a file swapped for a FIFO after a first look is caught too. ``open_binary`` gives
that file itself, for a reader that must not be raced (fingerprints).
"""
import errno
import os
import stat

KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
         (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
         (stat.S_ISSOCK, "a socket"))


def check(path, expected="a file to read"):
    """ValueError (one line, naming ``path``) unless ``path`` is a regular file (or a link to
    one); never waits. ``expected`` words what the file should be ("a params.h5 ...")."""
    os.close(_open_regular(path, expected))


def open_binary(path, expected="a file to read"):
    """The regular file ``path`` opened for reading in binary (a file object, blocking reads);
    ValueError as ``check``."""
    fd = _open_regular(path, expected)
    try:
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _open_regular(path, expected):
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        if e.errno == errno.ENOENT:
            raise ValueError("%s: no such file (expected %s)" % (path, expected))
        if e.errno == errno.ENXIO:  # what opening a socket gives
            raise ValueError("%s: is a socket, not a regular file (expected %s)" % (path, expected))
        raise ValueError("%s: cannot be read (%s; expected %s)" % (path, e.strerror or e, expected))
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = next((name for test, name in KINDS if test(mode)), "something else")
        raise ValueError("%s: is %s, not a regular file (expected %s)" % (path, kind, expected))
    return fd
