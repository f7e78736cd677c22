"""The run machinery: what the scripts in ``scripts/`` share, around the course's models.

    cli           argparse with checked types, one ``error:`` line per problem, exit statuses
    argtypes      the checked types of the flags (integers, floats, lists, files)
    config        ``RunConfig``, the settings record of one training run, checked once
    console       the scripts' terminal: text that always encodes, an output that may fail
    program       a script run as a program: its signals held from its first line, one exit
    signals       SIGINT and SIGTERM handed to whoever answers them, and given back after
    endings       how a script ends: its answer to signals, one line and a status for every way
    transaction   one training run: its directory lock, phase, stop state, progress and ending
    admission     what a run will spend, checked before it is spent (shapes, memory, float32)
    inputs        input files are regular files: a FIFO, a device, a directory refused at once
    rundir        run directories: created or claimed (a dead run's lock taken over), checkpoints
    execute       one training run: data, parameters, training, progress, TensorBoard, outputs
    outputs       what a run writes, most valuable first, each failure contained
    resume        continuing a run from its directory (a killed one from its saved progress)
    params_io     parameter files (HDF5), written atomically
    fingerprints  the identity of a run's data files, recorded and checked again
    h5files       the course's HDF5 files (the cat/non-cat layout), read into datasets
    memory        memory checked before it is spent
    progress      progress while training: the console's lines and bar, a notebook's bar
    prediction    applying a params.h5 to labelled data

Calls go one way: scripts → program, cli → config / execute → transaction, outputs, resume,
rundir, params_io → ``tf_models.models`` and the course's modules. The course's training loops
import nothing from here: they get the run's transaction from their caller (``hooks``).
"""
