"""The files of a class: each .py or .ipynb given, found in a folder, or inside a zip, read safely.

    found, notes = collect(["class/", "late.zip", "bob.ipynb"])

Every .py and .ipynb file is one submission, named by its path relative to the folder or zip it
came from (``alice/week3.ipynb``; a file given by itself: its file name; two alike: `` (2)``).
Nothing is extracted to disk under a name from a zip: members are read into memory, so a name
such as ``../../x.py`` cannot place a file anywhere (such names, links and encrypted members are
skipped and noted). A file larger than FILE_CAP becomes a submission that says so; a zip whose
members would expand past ZIP_CAP, or far beyond their compressed size, is refused as a zip bomb.
Folders are walked without following links; hidden folders (``.ipynb_checkpoints``, ``.git``) and
``__pycache__`` are skipped.
"""
import os
import stat
import unicodedata
import zipfile
from collections import namedtuple

SUFFIXES = (".py", ".ipynb")
FILE_CAP = 20 * 2 ** 20        # bytes of one submission
ZIP_CAP = 512 * 2 ** 20        # bytes all of a zip's submissions may expand to
ZIP_MEMBERS = 20000            # entries of one zip
BOMB_RATIO = 200               # expanded / compressed size of a member past 1 MB

# name: unique, relative, "/"-separated; data: bytes or None; problem: why it cannot be graded
Submission = namedtuple("Submission", "name data problem")


def collect(paths):
    """([Submission], [note]) from the command line's paths; ValueError (one line) for a path that
    is missing or of another kind, a zip that cannot be read or is a bomb, or nothing to grade."""
    found, notes = [], []
    for path in paths:
        if os.path.isdir(path):
            found += _folder(path, notes)
        elif os.path.isfile(path) and path.lower().endswith(".zip"):
            found += _zip(path, os.path.basename(path), notes)
        elif os.path.isfile(path) and path.lower().endswith(SUFFIXES):
            found.append(_file(path, os.path.basename(path)))
        elif os.path.exists(path):
            raise ValueError("%s is not a .py, .ipynb or .zip file, nor a folder" % path)
        else:
            raise ValueError("no such file or folder: %s (give .py, .ipynb or .zip files, or folders)" % path)
    if not found:
        raise ValueError("no .py or .ipynb file in %s" % ", ".join(paths))
    return _unique(found), notes


def _file(path, name):
    try:
        size = os.path.getsize(path)
        if size > FILE_CAP:
            return Submission(name, None, "larger than %d MB (%d MB)" % (FILE_CAP >> 20, size >> 20))
        with open(path, "rb") as f:
            return Submission(name, f.read(FILE_CAP + 1), None)
    except (IOError, OSError) as e:
        return Submission(name, None, "cannot be read (%s)" % (e.strerror or e))


def _folder(folder, notes):
    found = []
    for here, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__"
                         and not os.path.islink(os.path.join(here, d)))
        for name in sorted(files):
            path = os.path.join(here, name)
            relative = os.path.relpath(path, folder).replace(os.sep, "/")
            if name.startswith(".") or not name.lower().endswith(SUFFIXES + (".zip",)):
                continue
            if os.path.islink(path):
                notes.append("%s: a link, not followed" % relative)
            elif name.lower().endswith(".zip"):
                found += _zip(path, relative, notes)
            else:
                found.append(_file(path, relative))
    return found


def _zip(path, name, notes):
    """The submissions inside a zip (not zips inside it)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > ZIP_MEMBERS:
                raise ValueError("%s has %d entries (at most %d are read): refused" % (name, len(members), ZIP_MEMBERS))
            wanted = [m for m in members if _wanted(m, name, notes)]
            _refuse_bombs(name, wanted)
            prefix = name[:-4] + "/" if name != os.path.basename(path) else ""
            return [_member(archive, m, prefix + m.filename.rstrip("/"), notes) for m in wanted]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as e:
        raise ValueError("%s is not a zip file that can be read (%s)" % (name, e))
    except (IOError, OSError) as e:
        raise ValueError("cannot read %s (%s)" % (name, e.strerror or e))


def _wanted(member, zip_name, notes):
    """Whether a zip entry is a submission to read: a .py or .ipynb file under a safe name, not a
    link, not encrypted, not in a hidden folder (each refusal but the last is noted)."""
    filename = member.filename
    if filename.endswith("/"):
        return False
    parts = filename.replace("\\", "/").split("/")
    if filename.lower().endswith(".zip"):
        notes.append("%s: %s is a zip inside a zip, not opened" % (zip_name, filename))
        return False
    if not filename.lower().endswith(SUFFIXES):
        return False
    if filename.startswith("/") or "\\" in filename or ".." in parts or ":" in parts[0]:
        notes.append("%s: %s has an unsafe name, skipped" % (zip_name, filename))
        return False
    if stat.S_ISLNK(member.external_attr >> 16):
        notes.append("%s: %s is a link, skipped" % (zip_name, filename))
        return False
    if member.flag_bits & 0x1:
        notes.append("%s: %s is encrypted, skipped" % (zip_name, filename))
        return False
    return not any(p.startswith(".") or p == "__pycache__" for p in parts)


def _refuse_bombs(name, members):
    total = sum(m.file_size for m in members if m.file_size <= FILE_CAP)
    if total > ZIP_CAP:
        raise ValueError("%s would expand to %d MB of notebooks and code (at most %d MB): refused as a zip bomb"
                         % (name, total >> 20, ZIP_CAP >> 20))
    for m in members:
        if m.file_size > 2 ** 20 and m.file_size > BOMB_RATIO * max(m.compress_size, 1):
            raise ValueError("%s: %s would expand %d times over (%d MB): refused as a zip bomb"
                             % (name, m.filename, m.file_size // max(m.compress_size, 1), m.file_size >> 20))


def _member(archive, member, name, notes):
    if member.file_size > FILE_CAP:
        return Submission(name, None, "larger than %d MB (%d MB)" % (FILE_CAP >> 20, member.file_size >> 20))
    try:
        with archive.open(member) as f:
            data = f.read(FILE_CAP + 1)  # reads at most the size the entry declares, checked by its CRC
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError) as e:
        return Submission(name, None, "cannot be read from the zip (%s)" % e)
    if len(data) > FILE_CAP:
        return Submission(name, None, "larger than %d MB" % (FILE_CAP >> 20))
    return Submission(name, data, None)


def _unique(found):
    """The submissions with clean, distinct names (a second ``a.py`` becomes ``a (2).py``)."""
    seen, out = set(), []
    for s in found:
        name = _clean(s.name)
        stem, ext = os.path.splitext(name)
        n = 1
        while name.lower() in seen:
            n += 1
            name = "%s (%d)%s" % (stem, n, ext)
        seen.add(name.lower())
        out.append(s._replace(name=name))
    return out


def _clean(name):
    """A name made of printable characters, "/"-separated, no empty, "." or ".." part."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(c if c.isprintable() else "_" for c in name)
    parts = [p.strip() for p in name.split("/") if p.strip() not in ("", ".", "..")]
    return "/".join(parts) or "submission.py"
