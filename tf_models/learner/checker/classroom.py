"""Grade a whole class (scripts/grade_class.py): the submissions staged, then graded in parallel
through one sandbox, one worker per thread, into the rows of the gradebook.

    found, notes = submissions.collect(paths)
    claim = OutputFolder(out)                       # a new or empty folder, or ValueError
    grading = ClassGrading(found)                   # staged and read by the loader
    with Sandbox(workers=2, preload=grading.preload()) as box:
        rows = grading.grade(box, on_row=...)
    gradebook.write(out, rows, ...)

A submission that breaks one check (a crash, a hang, a flood) gets that check's FAIL and its
other functions are still checked; one that cannot be read at all gets a row that says why.
"""
import os
import shutil
import tempfile
import threading
from concurrent import futures

from tf_models.learner.checker import course_helpers, gradebook, grade, loader, specs

LOCK = ".grade_class.lock"


class OutputFolder(object):
    """The folder a grading run writes into: created, or an existing empty one, claimed by a lock
    file created exclusively (a second run into it is refused). ``release`` removes the lock and,
    when nothing was written, the folder the run created."""

    def __init__(self, path):
        self.path = path
        if os.path.exists(path) and not os.path.isdir(path):
            raise ValueError("--out %s exists and is not a folder (give a new or empty folder)" % path)
        if os.path.isdir(path) and os.listdir(path):
            raise ValueError("--out %s is not empty (give a new or empty folder; nothing in it is replaced)" % path)
        self.created = not os.path.isdir(path)
        try:
            if self.created:
                os.makedirs(path)
            os.close(os.open(os.path.join(path, LOCK), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        except FileExistsError:
            raise ValueError("--out %s is being written by another grading run" % path)
        except OSError as e:
            raise ValueError("cannot write into --out %s (%s)" % (path, e.strerror or e))

    def release(self):
        try:
            os.remove(os.path.join(self.path, LOCK))
            if self.created and not os.listdir(self.path):
                os.rmdir(self.path)
        except OSError:
            pass


class ClassGrading(object):
    """The grading of one class: its submissions, staged as files in a private folder for the
    loader, then each graded by one thread with one worker of the sandbox."""

    def __init__(self, found, timeout=10.0, memory_mb=1024, exercise=None):
        self.found, self.exercise = found, exercise
        self.timeout, self.memory_mb = timeout, memory_mb
        self.stopping = threading.Event()
        self.graded = []
        self.folder = tempfile.mkdtemp(prefix="tf_models-class-")
        self.learners = [self._load(i, s) for i, s in enumerate(found)]

    def _load(self, index, submission):
        """The loader's Learner of a submission, or the problem (a string) that stops it."""
        if submission.problem is not None:
            return submission.problem
        folder = os.path.join(self.folder, str(index))
        os.mkdir(folder)
        path = os.path.join(folder, os.path.basename(submission.name))
        with open(path, "wb") as f:
            f.write(submission.data)
        try:
            return loader.load(path)
        except ValueError as e:
            return str(e).replace(path, submission.name)

    def preload(self):
        return grade.preloads([l for l in self.learners if not isinstance(l, str)])

    def grade(self, sandbox, on_row=None):
        """[gradebook.Row] in the submissions' order; ``on_row(row)`` after each (in this thread).
        On an exception here (Ctrl-C) no new submission starts, the sandbox is closed (which ends
        the checks under way) and ``graded`` keeps the rows finished before it."""
        self.sandbox = sandbox
        self.grader = grade.Grader(sandbox, self.timeout, self.memory_mb)
        rows = [None] * len(self.found)
        with futures.ThreadPoolExecutor(max_workers=len(sandbox.workers)) as pool:
            jobs = {pool.submit(self._row, i): i for i in range(len(self.found))}
            try:
                for job in futures.as_completed(jobs):
                    row = job.result()
                    if row is not None:
                        rows[jobs[job]] = row
                        if on_row is not None:
                            on_row(row)
            except BaseException:
                self.stopping.set()
                self.sandbox.close()
                raise
            finally:
                self.graded = self.complete([r for r in rows if r is not None])
        return self.graded

    def complete(self, rows):
        """Rows of files without a graded function (or unreadable) count every function of the
        class's exercises."""
        exercises = [self.exercise] if self.exercise else [ex for ex in specs.SPECS if any(ex in r.exercises for r in rows)]
        out = []
        for row in rows:
            if not row.exercises:
                row = row._replace(exercises=exercises, missing=[] if row.problem else
                                   ["%s.%s" % (ex, s.name) for ex in exercises for s in specs.SPECS[ex]])
            out.append(row)
        return out

    def _row(self, index):
        if self.stopping.is_set():
            return None
        submission, learner = self.found[index], self.learners[index]
        if isinstance(learner, str):
            return gradebook.Row(submission.name, [], [], [], learner)
        try:
            found = self.grader.functions(learner, self.exercise)
        except ValueError:  # no function named like an exercise's
            return gradebook.Row(submission.name, [], [], [], None)
        try:
            results = self.grader.check(learner, self.exercise)
        except Exception as e:  # a fault of the checker's: this file says so, the class goes on
            if self.stopping.is_set():
                return None
            return gradebook.Row(submission.name, [], [], [], "the checker failed on this file (%s: %s); "
                                 "please report it" % (type(e).__name__, e))
        exercises = [ex for ex in specs.SPECS if any(s.exercise == ex for s, _ in found)]
        names = {s.name for s, _ in found} | course_helpers.imported(c.source for c in grade.every_statement(learner))
        missing = ["%s.%s" % (ex, s.name) for ex in exercises for s in specs.SPECS[ex] if s.name not in names]
        if self.stopping.is_set():
            return None
        return gradebook.Row(submission.name, results, missing, exercises, None)

    def close(self):
        shutil.rmtree(self.folder, ignore_errors=True)


def containment_note(sandbox):
    """One paragraph for summary.md: how every function ran, and what could not be contained."""
    if sandbox.mode == "namespaces":
        return ("Every function of every submission ran in a process of its own: its own PID namespace "
                "(killed whole at its deadline), no network, a read-only view of the Python installation "
                "and its own file alone (no other submission, no home folder, not the project), a private "
                "/tmp, no privileges, and limits on time, CPU, memory, processes, file size and open files.")
    return ("Could not contain: %s. The kernel refused namespaces (%s), so every function ran in a "
            "process of its own session and process group, killed as a group at its deadline, with a "
            "private working folder, a clean environment and limits on time, CPU, memory, processes, "
            "file size and open files." % ("; ".join(sandbox.uncontained), sandbox.reason or "not tried"))
