"""One training run as a transaction: its directory, its phase, its stop state, its ending.

    run = Run()                           phase "loading"
    run.claim(run_dir, label)             the run owns its directory (the lock) before reading data
    run.take_over(old_run_dir)            --resume of a killed run: the dead holder's lock is ours
    run.train_from(start, write, s)       training from iteration start; write(i, parameters, costs)
                                          keeps its progress on disk every s seconds
    ... a loop with hooks=run             phase "training" while it runs, "saving" after it
    run.conclude(stopped, saved, failed)  phase "done": how the run ended, raised as an exception
    run.close()                           the directory kept, or removed when it holds nothing

What SIGINT or SIGTERM does (``answer``, installed by ``endings.run``) depends on the phase:
loading — the run stops at once, nothing was trained (``signals.Stopped``); training — the loop
stops at its next boundary and the run saves what it trained; saving — the saving finishes
untouched, then the run ends with 130 or 143; done — noted, and a success becomes 130 or 143.
"""
import os
import time

from tf_models import stopping
from tf_models.run import console, endings, outputs, rundir, signals


class Run(endings.Script):
    """A training run's transaction (see the module). ``signum``: the first stop request."""

    def __init__(self):
        endings.Script.__init__(self)
        self.phase = "loading"       # "loading", "training", "saving", "done"
        self.directory = None        # the rundir.RunDir this run owns
        self.resumed = None          # the RunDir of a killed run this one took over, or None
        self.kept = None             # what the run saved, in words (once concluded)
        self.rising_warned = False
        self.start = 0               # the iteration training begins at (a resumed run's start)
        self._write = None           # write(i, parameters, costs): the progress on disk
        self._every = None           # seconds between two progress saves
        self._due = 0.0              # time.time() of the next one (the first at the first boundary)
        self.saves = [0, 0.0]        # progress saves made, and the seconds they took

    # ---- signals -----------------------------------------------------------------------------
    def answer(self, signum):
        first = self.signum is None
        if first:
            self.signum = signum
        if self.phase == "loading" and self.working:
            self.working = False
            raise signals.Stopped(signum, "before training started; nothing was trained or saved")
        if self.phase == "training" and first:
            console.warn("%s: stopping after the current steps and saving the parameters"
                         % signals.name(signum))
        elif self.phase == "saving":
            console.warn("%s: finishing the saving first" % signals.name(signum))

    def what_was_kept(self):
        return self.kept or "its outputs are complete"

    # ---- the directory -----------------------------------------------------------------------
    def claim(self, run_dir, label):
        """Own ``run_dir`` (or a new folder under runs/ named after ``label``); its path."""
        self.directory = rundir.claim(run_dir, label)
        return self.directory.path

    def take_over(self, old_run_dir):
        """Hold the lock of the run being resumed, when it has one: its holder must be dead
        (ValueError, exit 2, while it trains)."""
        if os.path.exists(os.path.join(old_run_dir, rundir.LOCK)):
            self.resumed = rundir.take_over(
                old_run_dir, "--resume %s: that run directory" % old_run_dir,
                "resume it once that process has ended")

    def close(self):
        """Keep a directory holding params.h5, metrics.json or checkpoints (releasing its lock);
        remove one holding nothing of value (a run that ended before training)."""
        for owned, keep in ((self.directory, None), (self.resumed, True)):
            if owned is None:
                continue
            if keep or any(os.path.exists(os.path.join(owned.path, n))
                           for n in ("params.h5", "metrics.json", rundir.CHECKPOINT_DIR)):
                owned.release()
            else:
                owned.abandon()
        self.directory = self.resumed = None

    # ---- the training loop's hooks (stopping.Guard) ------------------------------------------
    def loop_started(self):
        self.phase = "training"

    def loop_ended(self):
        self.phase = "saving"

    def first_rising(self):
        """True the first time the cost rose above its start in this run (one warning per run)."""
        first, self.rising_warned = not self.rising_warned, True
        return first

    def beside(self):
        """The hooks of a loop a script runs beside this run once it is done (train_shallow.py's
        logistic regression): it shares the run's one rising-cost warning, and neither stops
        (a signal then is answered by the exit status) nor saves progress."""
        return _Beside(self.first_rising)

    def train_from(self, start, write, seconds):
        """The loop begins at iteration ``start`` of the whole run (0, or where a resumed run
        goes on); while it trains, ``write(i, parameters, costs)`` keeps the run's progress on
        disk at least every ``seconds``."""
        self.start, self._write, self._every, self._due = start, write, seconds, 0.0

    def keep_progress(self, i, fetch, costs, at_record):
        """At a boundary of the loop: save the progress when due. Due every ``seconds``, at a
        record (a run resumed from there records where an unbroken run does), or anywhere once
        half an interval late (records far apart); the first save is at the first record."""
        if self._write is None:
            return
        now = time.time()
        if now < self._due or (not at_record and now < self._due + self._every / 2):
            return
        self._write(i, fetch(), costs)
        done = time.time()
        self.saves = [self.saves[0] + 1, self.saves[1] + done - now]
        self._due = done + self._every

    # ---- the ending --------------------------------------------------------------------------
    def conclude(self, stopped, saved, failed):
        """Raise what ends the run: the stop (with where its outputs are), a signal that came
        during the saving, or the failed writes. Returns when all went well."""
        self.phase = "done"
        self.kept = outputs.note(saved, failed, self.directory.path)
        if isinstance(stopped, stopping.Interrupted):
            raise stopping.Interrupted("%s; %s" % (stopped, self.kept), stopped.parameters,
                                       stopped.costs, stopped.iteration, stopped.signum)
        if stopped is not None:
            raise type(stopped)("%s; %s" % (stopped, self.kept), stopped.parameters,
                                stopped.costs, stopped.iteration)
        if self.signum is not None:
            raise stopping.Interrupted("%s after training completed; %s"
                                       % (signals.name(self.signum), self.kept),
                                       None, [], None, self.signum)
        if failed:
            raise outputs.OutputsFailed(self.kept)


class _Beside(object):
    """See ``Run.beside``."""
    signum = None
    start = 0

    def __init__(self, first_rising):
        self.first_rising = first_rising

    def loop_started(self):
        pass

    def loop_ended(self):
        pass

    def keep_progress(self, i, fetch, costs, at_record):
        pass
