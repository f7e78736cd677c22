"""Progress while training: a live bar in a notebook (tqdm's notebook mode), and the training
scripts' console output (record lines, plus a bar when the output is a terminal).

    trained, costs = models.train_tf(..., on_record=progress.notebook_progress(num_iterations))
"""
import sys


def _is_notebook_bar(tqdm_class):
    """Whether tqdm.auto chose tqdm's widget bar (in a Jupyter kernel with ipywidgets it does)."""
    notebook = sys.modules.get("tqdm.notebook")
    return notebook is not None and issubclass(tqdm_class, notebook.tqdm_notebook)


def _widget_view(widget):
    """The display bundle of a widget as ipywidgets 7 and 8 publish it: a view of the widget and a
    plain-text copy for readers without widgets (for tqdm's bar: the bar as text)."""
    return {"text/plain": repr(widget),
            "application/vnd.jupyter.widget-view+json": {"version_major": 2, "version_minor": 0,
                                                         "model_id": widget.model_id}}


def notebook_progress(total, desc="training", unit="it"):
    """An on_record(i, J, ...) callback for ``models.train_numpy`` / ``train_tf`` that advances
    a ``tqdm.auto`` bar to iteration i of ``total`` and shows the latest cost J; the bar closes
    at the final record (i == total). In a Jupyter kernel with ipywidgets it is a widget bar."""
    from tqdm.auto import tqdm
    if _is_notebook_bar(tqdm):
        # Shown through a display handle, so that at the end the saved notebook's plain-text copy
        # of the bar shows where training ended, not the 0% it began at. (The bundle is published
        # raw: ipywidgets 7 would ignore a display_id given with the widget itself.)
        from IPython.display import display
        bar = tqdm(total=total, desc=desc, unit=unit, display=False)
        handle = display(_widget_view(bar.container), raw=True, display_id=True)
        show_end = lambda: handle.update(_widget_view(bar.container), raw=True)  # noqa: E731
    else:
        bar = tqdm(total=total, desc=desc, unit=unit)
        show_end = lambda: None  # noqa: E731

    def on_record(i, J, *_):
        bar.set_postfix(cost="%.4f" % J, refresh=False)
        bar.update(i - bar.n)
        if i >= total:
            bar.close()
            show_end()
    return on_record


class Console(object):
    """What a training script prints while it trains: the course-style record lines
    ``iteration N   cost J`` every ``print_every`` iterations (the run's written record), and,
    when ``stream`` is a terminal, a live bar below them (rate, ETA, latest cost) advanced at
    every record. Piped or redirected output gets the lines only; ``quiet`` prints neither.

        console = Console(total=10000, start=0, print_every=1000)
        console.record(i, J)   at each record (i counted from the run's start)
        console.close()
    """

    def __init__(self, total, start=0, print_every=1, quiet=False, stream=None, say=None):
        self.start, self.end, self.print_every, self.quiet = start, start + total, print_every, quiet
        self.stream = sys.stdout if stream is None else stream
        self.say = say or self._write  # say(line): how a line is printed without a bar
        self.bar = None
        if not quiet and _is_terminal(self.stream):
            from tqdm import tqdm
            self.bar = tqdm(total=total, unit="it", file=self.stream, dynamic_ncols=True,
                            leave=False, ascii=not _can_encode(self.stream, "\u2588"))

    def record(self, i, J):
        """A record at iteration i with cost J: a line at print points, the bar at every record."""
        if self.quiet:
            return
        line = None
        if i % self.print_every == 0 or i in (self.start, self.end):
            line = "iteration %6d   cost %.6f" % (i, J)
        if self.bar is None:
            if line is not None:
                self.say(line)
            return
        try:
            if line is not None:
                self.bar.write(line, file=self.stream)
            self.bar.set_postfix(cost="%.4f" % J, refresh=False)
            self.bar.update(i - self.start - self.bar.n)
        except (OSError, ValueError):  # the terminal went away: no bar, lines through say
            self.bar = None
            if line is not None:
                self.say(line)

    def _write(self, line):
        self.stream.write(line + "\n")
        self.stream.flush()

    def close(self):
        """Remove the bar (the lines stay)."""
        if self.bar is not None:
            bar, self.bar = self.bar, None
            try:
                bar.close()
            except (OSError, ValueError):
                pass


def task_bar(total, unit, stream=None):
    """A live bar of ``total`` tasks (rate, ETA) on ``stream`` (stdout) when it is a terminal, else
    None: piped or redirected output gets the caller's lines instead. Advance it with update(1);
    close() removes it."""
    stream = sys.stdout if stream is None else stream
    if not _is_terminal(stream):
        return None
    from tqdm import tqdm
    return tqdm(total=total, unit=unit, file=stream, dynamic_ncols=True, leave=False,
                ascii=not _can_encode(stream, "\u2588"))


def _is_terminal(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _can_encode(stream, text):
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
        return True
    except (UnicodeEncodeError, LookupError):
        return False
