"""A live progress bar for training in a notebook (tqdm's notebook mode; text elsewhere).

    trained, costs = models.train_tf(..., on_record=progress.notebook_progress(num_iterations))
"""


def notebook_progress(total, desc="training"):
    """An on_record(i, J, ...) callback for ``models.train_numpy`` / ``train_tf`` that advances
    a ``tqdm.auto`` bar to iteration i of ``total`` and shows the latest cost J; the bar closes
    at the final record (i == total). In a Jupyter kernel with ipywidgets it is a widget bar."""
    from tqdm.auto import tqdm
    bar = tqdm(total=total, desc=desc, unit="it")

    def on_record(i, J, *_):
        bar.set_postfix(cost="%.4f" % J, refresh=False)
        bar.update(i - bar.n)
        if i >= total:
            bar.close()
    return on_record
