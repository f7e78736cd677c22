"""Small helpers the demonstrations share."""
import os
import time


def finish(fig, path, tight=True):
    """Lay out ``fig``; save it to ``path`` (creating its folder, then closing the figure) when a
    path is given. Returns the figure.

    Without a path the figure stays open, so a notebook shows it inline.
    """
    if tight:
        fig.tight_layout()
    if path:
        from tf_models import plots
        if os.path.dirname(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
        fig.savefig(path, dpi=90)
        plots.plt.close(fig)
    return fig


def best_time(fn, repeats=3):
    """(the smallest wall time of ``repeats`` calls of fn() in seconds, the last call's result).

    The minimum is the least disturbed by other work on the machine.
    """
    best, result = float("inf"), None
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result
