"""Memory checked before it is spent: what a process may still allocate, against an estimate.

    available_bytes()                 memory this process may still take (None: unknown)
    training_bytes(layer_dims, m, itemsize, backend)   an estimate of what training needs
    check_memory(need, what, hint)    ValueError (one line) when ``need`` bytes do not fit

The memory available is the smaller of the kernel's MemAvailable (/proc/meminfo) and what the
address-space limit (RLIMIT_AS, ``ulimit -v``) leaves above the process's current size.
"""
MB = 2 ** 20


def available_bytes():
    """Bytes this process can still allocate, or None when the system does not say."""
    found = []
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    found.append(int(line.split()[1]) * 1024)
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY:
            found.append(max(0, soft - _current_size()))
    except (ImportError, OSError, ValueError):
        pass
    return min(found) if found else None


def _current_size():
    """The process's virtual size (VmSize) in bytes."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def training_bytes(layer_dims, m, itemsize, backend):
    """What training a model with ``layer_dims`` on m examples roughly needs, in bytes.

    Parameters P = Σ n[l]·(n[l-1] + 1), each with its gradient and, for TF, the graph's copies
    (×4); per layer Z, A, dZ and dA for m examples (×4 the units, ×2 for TF's loop buffers);
    the data X (n_x, m) three times (the file's arrays, the cast, TF's variable).
    """
    P = sum(n * (n_prev + 1) for n_prev, n in zip(layer_dims[:-1], layer_dims[1:]))
    units = sum(layer_dims[1:])
    tf_factor = 2 if backend == "tf" else 1
    return itemsize * (4 * P * tf_factor + 4 * units * m * tf_factor + 3 * layer_dims[0] * m)


def check_memory(need, what, hint):
    """ValueError naming ``what`` when ``need`` bytes exceed the memory available."""
    have = available_bytes()
    if have is not None and need > have:
        raise ValueError("%s needs about %d MB of memory but only %d MB are available; %s"
                         % (what, need // MB + 1, have // MB, hint))
