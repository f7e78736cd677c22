"""The notebooks' progress bar (tf_models.run.progress): an on_record callback for models.train_*."""
from tf_models import datasets, models
from tf_models.run import progress


def test_the_bar_follows_training_to_the_end_with_the_last_cost(capsys):
    ds = datasets.load_dataset("flower")
    start = models.initial_parameters("shallow", [ds.n_x, 4, 1])
    _, costs = models.train_numpy("shallow", ds.X_train, ds.Y_train, start, 1.2, 300, "tanh",
                                  record_every=100, on_record=progress.notebook_progress(300))
    # Outside a notebook tqdm.auto is the text bar, on stderr: it reached 300 of 300 and shows
    # the final recorded cost.
    bar = capsys.readouterr().err.split("\r")[-1]
    assert "300/300" in bar
    assert "cost=%.4f" % costs[-1][1] in bar
