"""The checker's report: one line per function (text), or one JSON document for tools.

Each line starts with ``PASS`` or ``FAIL``, then the function (``shallow.backward_propagation``)
and, for a FAIL, what differs and why. ``language`` None gives the English message and, where the
stream can encode it, the Chinese one beside it (check_mine.py; under LC_ALL=C only the English,
which is kept ASCII); "en" or "zh" gives one language (a class's feedback files hold both). With
``lang="zh-CN"`` (the Chinese workbook) both come, the Chinese first.
"""
import json

SUMMARY = {"en": "%d of %d functions pass", "zh": "%d 个函数通过（共 %d 个）"}
MISSING = {"en": "not found in the file: %s", "zh": "文件中没有：%s"}


def lines(results, encoding="utf-8", language=None, missing=(), lang=None):
    """'PASS  shallow.layer_sizes' / 'FAIL  shallow.backward_propagation: ...' lines, the functions
    of the exercise the file lacks (``missing``, names), then a summary. ``language`` "zh-CN" is
    the Chinese workbook's: both languages, the Chinese first (as ``lang="zh-CN"``)."""
    if language == "zh-CN":
        language, lang = None, "zh-CN"
    out = []
    for r in results:
        line = "%s  %s.%s" % (r.status, r.exercise, r.name)
        if r.status != "PASS":
            if language == "zh":
                line += "：" + (r.message_zh or r.message)
            elif language == "en":
                line += ": " + r.message
            else:
                line += ": " + "\n      ".join(_messages(r, encoding, lang or "en"))
        out.append(line)
    words = "zh" if language == "zh" else "en"
    if missing:
        out.append(MISSING[words] % ", ".join(missing))
    passed = sum(r.status == "PASS" for r in results)
    summary = SUMMARY[words] % (passed, len(results) + len(missing))
    zh_summary = "%d 个函数中 %d 个通过" % (len(results) + len(missing), passed)
    if language is None and (lang or "").startswith("zh") and _encodes(zh_summary, encoding):
        summary = "%s（%s）" % (zh_summary, summary)
    out.append(summary)
    return out


def _messages(r, encoding, lang):
    """The FAIL messages of one result in the order of ``lang``: the English, and the Chinese
    where there is one and the output can encode it."""
    if not (r.message_zh and _encodes(r.message_zh, encoding)):
        return [r.message]
    return [r.message_zh, r.message] if lang.startswith("zh") else [r.message, r.message_zh]


def as_json(path, results, uncontained=()):
    """{"file", "passed", "functions": [{"exercise", "name", "status", "message", "message_zh", ...}],
    "uncontained": [what the sandbox could not contain on this machine]}."""
    return json.dumps({"file": path, "passed": all(r.status == "PASS" for r in results),
                       "functions": [dict(r._asdict(), details=_plain(r.details)) for r in results],
                       "uncontained": list(uncontained)},
                      indent=2, ensure_ascii=True)


def _plain(details):
    return {k: (float(v) if hasattr(v, "dtype") else v) for k, v in details.items()}


def _encodes(text, encoding):
    try:
        text.encode(encoding or "ascii")
        return True
    except (UnicodeEncodeError, LookupError):
        return False
