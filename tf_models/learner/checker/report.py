"""The checker's report: one line per function (text), or one JSON document for tools.

Each FAIL line gives the English message and, where stdout can encode it, the Chinese one beside
it; under LC_ALL=C (ASCII stdout) only the English, which is kept ASCII.
"""
import json


def lines(results, encoding="utf-8"):
    """'PASS  shallow.layer_sizes' / 'FAIL  shallow.backward_propagation: ...' lines, then a summary."""
    out = []
    for r in results:
        line = "%s  %s.%s" % (r.status, r.exercise, r.name)
        if r.status != "PASS":
            line += ": " + r.message
            if r.message_zh and _encodes(r.message_zh, encoding):
                line += "\n      " + r.message_zh
        out.append(line)
    failed = sum(r.status != "PASS" for r in results)
    out.append("%d of %d functions pass" % (len(results) - failed, len(results)))
    return out


def as_json(path, results):
    """{"file", "passed", "functions": [{"exercise", "name", "status", "message", "message_zh", ...}]}."""
    return json.dumps({"file": path, "passed": all(r.status == "PASS" for r in results),
                       "functions": [dict(r._asdict(), details=_plain(r.details)) for r in results]},
                      indent=2, ensure_ascii=True)


def _plain(details):
    return {k: (float(v) if hasattr(v, "dtype") else v) for k, v in details.items()}


def _encodes(text, encoding):
    try:
        text.encode(encoding or "ascii")
        return True
    except (UnicodeEncodeError, LookupError):
        return False
