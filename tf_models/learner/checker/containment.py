"""The kernel's means of containing a learner's function: namespaces, a read-only view of the file
system, resource limits and dropped privileges (Linux; ctypes, since Python 3.6 has no os.unshare).

Two ways, chosen once per worker (``worker.py`` uses them; the README's "Containment" says why):

``namespaces``  the worker enters new mount, network, PID, IPC and UTS namespaces: as root
                directly, as a normal user inside a new user namespace where it is root. Its file
                system becomes a fresh read-only root holding only the Python installation and a
                few system directories (``build_view``); each function then gets a PID namespace
                of its own (its process is init there: when it dies, the kernel kills every
                process it left) and an empty private ``/tmp`` (``private_tmp``). Before the
                learner's code runs the process gives up its privileges for good: as root it
                becomes an unprivileged user id of its own (``SANDBOX_UID``), as a user it drops
                every capability (``drop_privileges``).
``processes``   where the kernel refuses namespaces: a session and process group of its own, the
                limits, a private working directory, a clean environment; no network or file
                system isolation (``UNCONTAINED`` says so).

Nothing here imports NumPy or the project's models: the worker calls ``enter_namespaces`` first,
while it is still a single thread, as the kernel requires.
"""
import ctypes
import ctypes.util
import errno
import os
import platform
import resource
import sys

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MS_NOATIME, MS_NODIRATIME, MS_RELATIME = 1024, 2048, 1 << 21
MNT_DETACH = 2
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_SECUREBITS = 1, 24, 28
PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS = 36, 38
# SECBIT_NOROOT (uid 0 gains nothing by execve) and SECBIT_NO_CAP_AMBIENT_RAISE set, and all
# four securebits locked (SECBIT_NO_SETUID_FIXUP and SECBIT_KEEP_CAPS locked off)
SECURE_BITS = 0xff & ~(1 << 4) & ~(1 << 2)
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "ppc64le": 203, "s390x": 217}

# A user id no account uses, for learner code when the grader runs as root: the kernel then
# counts its processes (RLIMIT_NPROC never applies to root) and it owns nothing outside.
SANDBOX_UID = 2100000000
# Directories of the system a Python process needs (read-only); the Python installation is added.
SYSTEM_PATHS = ("/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin",
                "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d")
DEVICES = ("null", "zero", "full", "random", "urandom")

UNCONTAINED = {  # what the "processes" way leaves open, said once in every report
    "network": "the network (a function can open connections)",
    "files": "the file system (a function can read and write what your user can)",
    "signals": "signals to other processes of your user (the grader included)",
}

_LIBC = []
UNDER_TMP = "/.under-tmp"  # in the view: a second binding of each kept path under /tmp


def libc():
    if not _LIBC:
        _LIBC.append(ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True))
    return _LIBC[0]


def _check(result, what):
    if result != 0:
        e = ctypes.get_errno()
        raise OSError(e, "%s: %s" % (what, os.strerror(e)))


def unshare(flags):
    if not hasattr(libc(), "unshare"):  # not Linux: the "processes" way
        raise OSError(errno.ENOSYS, "this system has no namespaces")
    _check(libc().unshare(ctypes.c_int(flags)), "unshare")


def mount(source, target, fstype, flags, data=None):
    enc = lambda s: None if s is None else s.encode()  # noqa: E731
    _check(libc().mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)),
           "mount %s" % target)


def prctl(option, value):
    if not hasattr(libc(), "prctl"):
        raise OSError(errno.ENOSYS, "this system has no prctl")
    _check(libc().prctl(ctypes.c_int(option), ctypes.c_ulong(value), ctypes.c_ulong(0),
                        ctypes.c_ulong(0), ctypes.c_ulong(0)), "prctl %d" % option)


def die_with_parent():
    """SIGKILL this process when its parent dies (the kernel forgets it on a change of user id).
    Linux only; elsewhere nothing (the process group is still killed as a whole)."""
    _where_linux(PR_SET_PDEATHSIG, 9)


def become_subreaper():
    """Orphans among this process's descendants become its children (so it can still kill them).
    Linux only."""
    _where_linux(PR_SET_CHILD_SUBREAPER, 1)


def no_new_privileges():
    """No set-user-id program or file capability can grant this process anything. Linux only."""
    _where_linux(PR_SET_NO_NEW_PRIVS, 1)


def _where_linux(option, value):
    try:
        prctl(option, value)
    except OSError as e:
        if e.errno != errno.ENOSYS:
            raise


# ---- namespaces ----------------------------------------------------------------------------

def sandbox_uid(offset):
    """The user id of learner code when the grader runs as root: SANDBOX_UID + ``offset``, where
    this process's user namespace maps it (as a user and as a group). None otherwise: as a user,
    or as the root of a container that maps only a few ids (rootless podman, ``unshare -r``), the
    checks run as the root of a user namespace of their own, every capability dropped."""
    if os.geteuid() != 0:
        return None
    uid = SANDBOX_UID + offset
    return uid if _mapped(uid, "/proc/self/uid_map") and _mapped(uid, "/proc/self/gid_map") else None


def _mapped(number, map_file):
    """Whether ``number`` is an id of this user namespace (each line of ``map_file``: first id
    inside, first id outside, count). A kernel without user namespaces has no such file: every id is."""
    try:
        with open(map_file) as f:
            ranges = [[int(field) for field in line.split()] for line in f if line.strip()]
    except (IOError, OSError):
        return True
    except ValueError:
        return False
    return any(first <= number < first + count for first, _, count in ranges)


def enter_namespaces(own_user_namespace):
    """Enter new mount, network, IPC, UTS and PID namespaces (the PID one holds this process's
    next child), inside a new user namespace when ``own_user_namespace`` (always, unless running as
    root with a ``sandbox_uid``). Must be called while the process has a single thread. OSError
    when the kernel refuses."""
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWPID
    if not own_user_namespace:
        unshare(flags)
    else:
        uid, gid = os.geteuid(), os.getegid()
        unshare(flags | CLONE_NEWUSER)
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", "0 %d 1" % uid)
        _write("/proc/self/gid_map", "0 %d 1" % gid)
        # No user namespace below this one: learner code can never hold a capability again.
        _write("/proc/sys/user/max_user_namespaces", "0", required=False)
    # Nothing mounted from now on may reach the rest of the system.
    mount(None, "/", None, MS_REC | MS_PRIVATE)


def _write(path, text, required=True):
    try:
        with open(path, "w") as f:
            f.write(text)
    except (IOError, OSError):
        if required:
            raise


def build_view(new_root, keep, hide):
    """Make ``new_root`` (an empty directory) this mount namespace's root: a small tmpfs holding
    read-only bind mounts of the system directories and of ``keep`` (paths that exist), with an
    empty directory over each path of ``hide`` that falls inside them, /dev's harmless devices,
    and an empty /tmp (the mount point of ``private_tmp``). The old root is detached: no path
    leads back to the rest of the file system. Returns the kept paths under /tmp (for
    ``private_tmp``)."""
    mount("tmpfs", new_root, "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,mode=0755")
    paths = _outermost([p for p in list(SYSTEM_PATHS) + list(keep) if os.path.lexists(p)])
    for path in paths:
        _bind_read_only(path, new_root + path)
    for path in hide:
        if any(_inside(path, p) for p in paths) and os.path.isdir(path):
            mount("tmpfs", new_root + path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k,mode=0555")
    os.mkdir(new_root + "/dev", 0o755)
    for name in DEVICES:
        if os.path.exists("/dev/" + name):
            _bind_read_only("/dev/" + name, new_root + "/dev/" + name, devices=True)
    # A kept path under /tmp (a project cloned there, with its environment) would be hidden by
    # each check's private /tmp: a second binding of it, outside /tmp, lets private_tmp put it back.
    under_tmp = [p for p in paths if p != "/tmp" and _inside(p, "/tmp")]  # /tmp itself stays private
    for i, path in enumerate(under_tmp):
        if not os.path.islink(path):
            _bind_read_only(new_root + path, "%s%s/%d" % (new_root, UNDER_TMP, i))
    for name in ("tmp", ".old"):
        if not os.path.isdir(os.path.join(new_root, name)):
            os.mkdir(os.path.join(new_root, name), 0o755)
    _check(libc().syscall(ctypes.c_long(SYS_PIVOT_ROOT[platform.machine()]), new_root.encode(),
                          (new_root + "/.old").encode()), "pivot_root")
    os.chdir("/")
    _check(libc().umount2(b"/.old", ctypes.c_int(MNT_DETACH)), "umount the old root")
    os.rmdir("/.old")
    mount(None, "/", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    return under_tmp


def _outermost(paths):
    """The paths (made real, symlinks kept as links) without those inside another one of them."""
    real = sorted(set(os.path.abspath(p) for p in paths))
    return [p for p in real if not any(q != p and _inside(p, q) for q in real)]


def _inside(path, folder):
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _bind_read_only(source, target, devices=False):
    """Bind ``source`` at ``target`` (creating the mount point, or the same symbolic link)."""
    _make_parents(os.path.dirname(target))
    if os.path.islink(source):
        os.symlink(os.readlink(source), target)
        return
    if os.path.isdir(source):
        os.mkdir(target, 0o755)
    else:
        open(target, "w").close()
    mount(source, target, None, MS_BIND | MS_REC)
    # A bind mount's flags change only by a remount, which must keep those the kernel locked
    # (nosuid, nodev, noexec, the atime flags) when the source was mounted outside this namespace.
    flags = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | _locked_flags(source)
    if not devices:
        flags |= MS_NODEV
    mount(None, target, None, flags)


def _make_parents(folder):
    if not os.path.isdir(folder):
        _make_parents(os.path.dirname(folder))
        os.mkdir(folder, 0o755)


def _locked_flags(path):
    f = os.statvfs(path).f_flag
    pairs = ((os.ST_NODEV, MS_NODEV), (os.ST_NOEXEC, MS_NOEXEC), (getattr(os, "ST_NOATIME", 1024), MS_NOATIME),
             (getattr(os, "ST_NODIRATIME", 2048), MS_NODIRATIME), (getattr(os, "ST_RELATIME", 4096), MS_RELATIME))
    return sum(ms for st, ms in pairs if f & st)


def private_tmp(files, size_mb, owner, under_tmp=()):
    """In a new mount namespace (and a new PID namespace for the next child): a fresh tmpfs of
    ``size_mb`` on /tmp holding /tmp/work (empty, writable by ``owner``, the working directory)
    and /tmp/submission with ``files`` ({name: bytes}), read-only; and ``under_tmp``, the view's
    kept paths under /tmp (build_view), read-only where they were."""
    unshare(CLONE_NEWNS | CLONE_NEWPID)
    links = {p: os.readlink(p) for p in under_tmp if os.path.islink(p)}
    mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
          "size=%dm,nr_inodes=4096,mode=0755" % size_mb)
    for i, path in enumerate(under_tmp):
        if path in links:
            _make_parents(os.path.dirname(path))
            os.symlink(links[path], path)
        else:
            _bind_read_only("%s/%d" % (UNDER_TMP, i), path)
            _check(libc().umount2(("%s/%d" % (UNDER_TMP, i)).encode(), ctypes.c_int(MNT_DETACH)),
                   "umount the second binding")  # in this check's namespace only: an empty folder
    write_files("/tmp/submission", files)
    mount("/tmp/submission", "/tmp/submission", None, MS_BIND)
    mount(None, "/tmp/submission", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
    os.mkdir("/tmp/work", 0o700)
    if owner is not None:
        os.chown("/tmp/work", owner, owner)
    return "/tmp/work"


def write_files(folder, files):
    """``files`` ({name: bytes}) as read-only files in a new folder (names are plain file names)."""
    os.mkdir(folder, 0o755)
    for name, data in files.items():
        path = os.path.join(folder, os.path.basename(name))
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, 0o444)


# ---- limits and privileges ------------------------------------------------------------------

def set_limits(cpu_seconds, address_space, processes, file_size, open_files):
    """setrlimit: CPU seconds (SIGXCPU, then SIGKILL a second later), address space in bytes
    (NumPy then raises MemoryError), processes and threads of this user (fork fails with EAGAIN;
    counted per user namespace, or for ``SANDBOX_UID``), bytes per written file, open files."""
    for what, value, hard in ((resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 1),
                              (resource.RLIMIT_AS, address_space, address_space),
                              (resource.RLIMIT_NPROC, processes, processes),
                              (resource.RLIMIT_FSIZE, file_size, file_size),
                              (resource.RLIMIT_NOFILE, open_files, open_files),
                              (resource.RLIMIT_CORE, 0, 0),
                              (resource.RLIMIT_MEMLOCK, 0, 0)):
        _, old_hard = resource.getrlimit(what)
        if old_hard != resource.RLIM_INFINITY:
            value, hard = min(value, old_hard), min(hard, old_hard)
        try:
            resource.setrlimit(what, (value, hard))
        except (ValueError, OSError):
            if sys.platform.startswith("linux"):
                raise
            # macOS refuses some (RLIMIT_AS): the others and the deadline still hold there


def drop_privileges(sandbox_uid):
    """Give up every privilege for good, then forbid gaining any (no_new_privs: a set-user-id
    program or a file capability grants nothing). As root: become ``sandbox_uid`` (which clears
    every capability); otherwise (root of a user namespace): lock root's special treatment off
    and clear every capability set."""
    _drop_bounding_set()
    if sandbox_uid is not None:
        os.setgroups([])
        os.setgid(sandbox_uid)
        os.setuid(sandbox_uid)
    else:
        prctl(PR_SET_SECUREBITS, SECURE_BITS)
        _clear_capabilities()
    no_new_privileges()


def _drop_bounding_set():
    if not hasattr(libc(), "prctl"):  # not Linux: no capability bounding set to drop
        return
    for cap in range(64):
        if libc().prctl(ctypes.c_int(PR_CAPBSET_DROP), ctypes.c_ulong(cap), ctypes.c_ulong(0),
                        ctypes.c_ulong(0), ctypes.c_ulong(0)) != 0:
            if ctypes.get_errno() == errno.EINVAL:  # past the kernel's last capability
                return
            raise OSError(ctypes.get_errno(), "dropping capability %d" % cap)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def _clear_capabilities():
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3: two 32-bit words per set
    data = (_CapData * 2)()
    _check(libc().capset(ctypes.byref(header), ctypes.byref(data)), "capset")
