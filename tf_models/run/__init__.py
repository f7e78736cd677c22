"""The run machinery: what the scripts in ``scripts/`` share, around the course's models.

    cli           argparse with checked types, one ``error:`` line per problem, exit statuses
    argtypes      the checked types of the flags (integers, floats, lists, files)
    config        ``RunConfig``, the settings record of one training run, checked once
    console       the scripts' terminal: text that always encodes, an output that may fail
    endings       how a script ends: one line and an exit status for every way
    signals       one stop path for Ctrl-C and SIGTERM, at any moment of a run
    stopping      stopping training early without losing it: divergence and Ctrl-C
    safety        a run as a transaction: checks before anything is spent, containment after
    rundir        run directories: created or claimed, found again, checkpoints inside them
    execute       one training run: data, parameters, training, progress, TensorBoard, outputs
    outputs       what a run writes: params.h5, metrics.json, cost.png, decision_boundary.png
    resume        continuing a run from its directory
    params_io     parameter files (HDF5), written atomically
    fingerprints  the identity of a run's data files, recorded and checked again
    h5files       the course's HDF5 files (the cat/non-cat layout), read into datasets
    memory        memory checked before it is spent
    progress      progress while training: the console's lines and bar, a notebook's bar
    prediction    applying a params.h5 to labelled data

Calls go one way: scripts → cli → config / execute → outputs, resume, rundir, params_io →
``tf_models.models`` and the course's modules. The course's training loops use ``stopping`` only.
"""
