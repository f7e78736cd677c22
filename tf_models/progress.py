"""A live progress bar for training in a notebook (tqdm's notebook mode; text elsewhere).

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
