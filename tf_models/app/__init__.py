"""The application around the course's models: what the scripts in ``scripts/`` share.

    cli          argparse with checked types, one ``error:`` line per problem, exit statuses
    config       ``RunConfig``, the settings record of one training run, checked once
    rundir       run directories: created or claimed, found again, checkpoints inside them
    execute      one training run: data, parameters, training, progress, TensorBoard, outputs
    outputs      what a run writes: params.h5, metrics.json, cost.png, decision_boundary.png
    resume       continuing a run from its directory
    params_io    parameter files (HDF5), written atomically
    prediction   applying a params.h5 to labelled data

Calls go one way: scripts → cli → config / execute → outputs, resume, rundir, params_io →
``tf_models.models`` and the course's modules. Nothing in ``tf_models`` outside this package
imports it.
"""
