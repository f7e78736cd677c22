"""The checker's report: one line per function (text), or one JSON document for tools.

Each FAIL line gives the English message and, where stdout can encode it, the Chinese one beside
it; under LC_ALL=C (ASCII stdout) only the English, which is kept ASCII. With ``lang="zh-CN"``
(the Chinese workbook) the Chinese comes first and the English follows.
"""
import json


def lines(results, encoding="utf-8", lang="en"):
    """'PASS  shallow.layer_sizes' / 'FAIL  shallow.backward_propagation: ...' lines, then a summary."""
    out = []
    for r in results:
        out.append("%s  %s.%s" % (r.status, r.exercise, r.name))
        if r.status != "PASS":
            out[-1] += ": " + "\n      ".join(_messages(r, encoding, lang))
    passed = sum(r.status == "PASS" for r in results)
    summary = "%d of %d functions pass" % (passed, len(results))
    zh_summary = "%d 个函数中 %d 个通过" % (len(results), passed)
    if lang.startswith("zh") and _encodes(zh_summary, encoding):
        summary = "%s（%s）" % (zh_summary, summary)
    out.append(summary)
    return out


def _messages(r, encoding, lang):
    """The FAIL messages of one result in the order of ``lang``: the English, and the Chinese
    where there is one and the output can encode it."""
    if not (r.message_zh and _encodes(r.message_zh, encoding)):
        return [r.message]
    return [r.message_zh, r.message] if lang.startswith("zh") else [r.message, r.message_zh]


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
