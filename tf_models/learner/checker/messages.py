"""Plain data between the grader and a contained function: JSON, NumPy arrays as raw bytes.

Nothing that crosses the sandbox's wall is ever unpickled. A message is one frame,
``b"TFMC" + 8-byte length + JSON``; in the JSON a tuple is ``{"tuple": [...]}``, a dict
``{"dict": [[key, value], ...]}``, an array ``{"array": [dtype, shape, base64 bytes]}`` (numeric
dtypes only) and a NumPy scalar ``{"scalar": [dtype, base64 bytes]}``; lists, strings, numbers,
booleans and null are themselves. ``decode`` checks all of it and raises ``BadMessage`` for
anything else: a partial frame, bytes after it, another dtype, a shape that does not match its
bytes. The size is capped by whoever reads the bytes (see sandbox.py).
"""
import binascii
import json
import struct

import numpy as np

MAGIC = b"TFMC"
HEADER = struct.Struct(">4sQ")
DTYPE_KINDS = "biuf"  # bool, signed and unsigned integers, floats
MAX_DIMENSIONS = 8


class BadMessage(ValueError):
    """The bytes are not one well-formed message."""


def frame(value):
    """The bytes of one message holding ``value``."""
    payload = json.dumps(_plain(value), separators=(",", ":")).encode("utf-8")
    return HEADER.pack(MAGIC, len(payload)) + payload


def unframe(data):
    """The value of the one message ``data`` holds; BadMessage for anything else."""
    if len(data) < HEADER.size:
        raise BadMessage("%d bytes, less than a message header" % len(data))
    magic, length = HEADER.unpack(data[:HEADER.size])
    if magic != MAGIC:
        raise BadMessage("it does not start as a message of the checker")
    if len(data) != HEADER.size + length:
        raise BadMessage("the message announces %d bytes and %d came" % (length, len(data) - HEADER.size))
    try:
        return _value(json.loads(data[HEADER.size:].decode("utf-8")))
    except (ValueError, TypeError, KeyError, IndexError, RecursionError, binascii.Error) as e:
        raise BadMessage("its content cannot be read (%s)" % type(e).__name__)


def read_frame(read):
    """One message from a stream: ``read(n)`` returns up to n bytes (b"" at the end)."""
    header = _read_exactly(read, HEADER.size)
    magic, length = HEADER.unpack(header)
    if magic != MAGIC:
        raise BadMessage("it does not start as a message of the checker")
    return unframe(header + _read_exactly(read, length))


def _read_exactly(read, n):
    chunks, got = [], 0
    while got < n:
        chunk = read(min(n - got, 1 << 20))
        if not chunk:
            raise BadMessage("the stream ended inside a message")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _plain(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, np.generic):
        return value
    if isinstance(value, tuple):
        return {"tuple": [_plain(v) for v in value]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {"dict": [[_plain(k), _plain(v)] for k, v in value.items()]}
    if isinstance(value, np.ndarray):
        _check_dtype(value.dtype)  # tobytes() is in C order whatever the array's layout
        return {"array": [value.dtype.str, list(value.shape), _b64(value.tobytes())]}
    if isinstance(value, np.generic):
        _check_dtype(value.dtype)
        return {"scalar": [value.dtype.str, _b64(value.tobytes())]}
    raise TypeError("%s cannot be sent as plain data" % type(value).__name__)


def _b64(raw):
    return binascii.b2a_base64(raw).decode("ascii")


def _check_dtype(dtype):
    if dtype.kind not in DTYPE_KINDS or dtype.hasobject:
        raise TypeError("arrays of dtype %s cannot be sent" % dtype)


def _value(node):
    if node is None or isinstance(node, (bool, str, int, float)):
        return node
    if isinstance(node, list):
        return [_value(v) for v in node]
    if not isinstance(node, dict) or len(node) != 1:
        raise BadMessage("an object of the message is not plain data")
    (kind, content), = node.items()
    if kind == "tuple" and isinstance(content, list):
        return tuple(_value(v) for v in content)
    if kind == "dict" and isinstance(content, list):
        return {_key(pair[0]): _value(pair[1]) for pair in content if _is_pair(pair)}
    if kind == "array" and isinstance(content, list) and len(content) == 3:
        return _array(*content)
    if kind == "scalar" and isinstance(content, list) and len(content) == 2:
        return _array(content[0], [], content[1])[()]
    raise BadMessage("an object of the message is not plain data")


def _is_pair(pair):
    if not (isinstance(pair, list) and len(pair) == 2):
        raise BadMessage("a dict entry is not a pair")
    return True


def _key(node):
    key = _value(node)
    if not isinstance(key, (str, int, float, bool, tuple)) and key is not None:
        raise BadMessage("a dict key is not plain data")
    return key


def _array(dtype, shape, data):
    if not (isinstance(dtype, str) and isinstance(shape, list) and isinstance(data, str)):
        raise BadMessage("an array is not described by dtype, shape and bytes")
    dtype = _DTYPES.get(dtype) or _dtype(dtype)
    if len(shape) > MAX_DIMENSIONS:
        raise BadMessage("an array has more than %d dimensions" % MAX_DIMENSIONS)
    count = 1
    for n in shape:
        if type(n) is not int or n < 0:
            raise BadMessage("an array has an impossible shape")
        count *= n
    raw = binascii.a2b_base64(data)
    if count * dtype.itemsize != len(raw):
        raise BadMessage("an array's bytes do not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def _dtype(name):
    """A dtype of numbers only (kept for the next array of that name)."""
    try:
        dtype = np.dtype(name)
    except TypeError:
        raise BadMessage("an array has an unknown dtype")
    if dtype.kind not in DTYPE_KINDS or dtype.hasobject or dtype.fields is not None or dtype.subdtype:
        raise BadMessage("an array has dtype %s, not numbers" % dtype)
    if len(_DTYPES) < 64:
        _DTYPES[name] = dtype
    return dtype


_DTYPES = {}
