#!/usr/bin/env python3
"""Checks a report.html DOM (as dumped by headless Chromium) against the JSON
outputs of the same run. Used by tests/e2e/test_report.sh.

Usage: report_check.py DOM.html OUTPUT_DIR UM_START UM_END
Every section must be present; each number the page shows (in a data-value or
data-* attribute, and as rounded text) must equal the JSON figure it comes
from; the spoken "um" (served at UM_START..UM_END) must be flagged on the
strip, cut as a filler and struck through; nothing may be loaded over
http(s). Prints one line per failure and exits 1, or a summary and 0.
Standard library only."""
import json
import math
import os
import re
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def walk(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.walk()

    def find(self, tag=None, cls=None, attr=None):
        return [n for n in self.walk() if (tag is None or n.tag == tag)
                and (cls is None or cls in n.classes()) and (attr is None or attr in n.attrs)]


class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


failures = []
checks = 0


def check(ok, msg):
    global checks
    checks += 1
    if not ok:
        failures.append(msg)
    return ok


def near(a, b, tol=1e-6):
    return a is not None and b is not None and abs(a - b) <= tol * max(1.0, abs(b))


def num(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def clock(seconds, decimals):
    """The page's m:ss.d format (report_buf.c rb_clock), rounding half up."""
    scale = 10 ** decimals
    units = math.floor(max(0.0, seconds) * scale + 0.5)
    whole, frac = divmod(units, scale)
    h, m, s = whole // 3600, whole // 60 % 60, whole % 60
    out = "%d:%02d:%02d" % (h, m, s) if h else "%d:%02d" % (m, s)
    return out + (".%0*d" % (decimals, frac) if decimals else "")


def main():
    dom_path, out, um0, um1 = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    raw = open(dom_path, encoding="utf-8").read()
    tree = Tree()
    tree.feed(raw)
    root = tree.root
    ids = {n.attrs["id"]: n for n in root.walk() if "id" in n.attrs}
    load = lambda rel: json.load(open(os.path.join(out, rel)))
    M = load("analytics/performance_metrics.json")
    T = load("timeline.json")
    TR = load("transcript.json")
    TH = load("thumbnails/thumbnails.json")
    META = load("metadata/metadata.json")
    A = M["audio"]

    def val(id_, attr="data-value"):
        n = ids.get(id_)
        check(n is not None, "element #%s missing" % id_)
        return num(n.attrs.get(attr)) if n is not None else None

    def txt(id_):
        n = ids.get(id_)
        return n.text().strip() if n is not None else ""

    # Sections and self-containment.
    for s in ["summary", "timeline", "loudness", "transcript", "thumbnails", "metadata",
              "performance", "fix"]:
        check(s in ids and ids[s].tag == "section", "section #%s missing" % s)
    remote = ["<%s %s=%r>" % (n.tag, a, n.attrs[a]) for n in root.walk()
              for a in ("src", "href", "xlink:href", "action", "poster", "data", "srcset")
              if re.match(r"\s*(https?:)?//", (n.attrs.get(a) or "").lower())]
    check(not remote, "loads from the network: %s" % remote)
    check(not root.find(tag="link"), "a <link> element")
    check(not [n for n in root.find(tag="script") if "src" in n.attrs], "an external <script>")
    check(not re.search(r"url\(\s*['\"]?(https?:)?//", raw), "a CSS url() to the network")

    # Durations, removed time, cuts.
    v = val("input-duration")
    check(near(v, M["input_duration"]), "input duration %s != %s" % (v, M["input_duration"]))
    check(txt("input-duration") == clock(M["input_duration"], 1),
          "input duration shown as %r" % txt("input-duration"))
    v = val("output-duration")
    check(near(v, M["output_duration"]), "output duration %s != %s" % (v, M["output_duration"]))
    check(near(v, T["edited_duration"], 1e-3), "output duration %s != timeline %s" % (v, T["edited_duration"]))
    check(txt("output-duration") == clock(M["output_duration"], 1),
          "output duration shown as %r" % txt("output-duration"))
    v = val("time-removed")
    check(near(v, M["time_removed"]), "removed %s != %s" % (v, M["time_removed"]))
    check(txt("time-removed") == "%.1f s" % M["time_removed"], "removed shown as %r" % txt("time-removed"))
    check(val("cut-count") == M["cut_count"] == len(T["removed"]),
          "cut count %s / metrics %s / timeline %s" % (val("cut-count"), M["cut_count"], len(T["removed"])))
    by_reason = {}
    for r in T["removed"]:
        s, c = by_reason.get(r["reason"], (0.0, 0))
        by_reason[r["reason"]] = (s + r["end"] - r["start"], c + 1)
    shown = {n.attrs["data-reason"]: (num(n.attrs["data-seconds"]), int(n.attrs["data-count"]))
             for n in ids["reasons"].find(cls="reason")}
    check(set(shown) == set(by_reason), "reasons %s != %s" % (sorted(shown), sorted(by_reason)))
    for k, (s, c) in by_reason.items():
        if k in shown:
            check(near(shown[k][0], s, 1e-3) and shown[k][1] == c,
                  "reason %s: %s != %s s in %d" % (k, shown[k], s, c))
    rows = ids["cuts"].find(tag="tr", cls="cut") if "cuts" in ids else []
    check(len(rows) == len(T["removed"]), "cut rows %d != %d" % (len(rows), len(T["removed"])))
    for row, r in zip(rows, T["removed"]):
        check(near(num(row.attrs["data-start"]), r["start"], 1e-3) and
              near(num(row.attrs["data-end"]), r["end"], 1e-3) and row.attrs["data-reason"] == r["reason"],
              "cut row %s != %s" % (row.attrs, r))

    # The strip: drawn from the audio, the "um" flagged where it was served and cut as a filler.
    strip = ids.get("strip")
    check(strip is not None and strip.find(tag="svg"), "strip SVG missing")
    if strip is not None:
        lines = strip.find(tag="polyline")
        check(lines and len(lines[0].attrs.get("points", "").split()) == 1000, "level line not 1000 points")
        flags = [(n.text().strip(), num(n.attrs.get("data-time"))) for n in strip.find(cls="flag")]
        # Within 50 ms of the served time: the filler detector grows a recognised
        # hesitation over the held sound it hears (docs/SPEECH.md, "grows").
        check(any(t == "um" and near(x, um0, 0.05) for t, x in flags), "no 'um' flag at %.3f: %s" % (um0, flags))
    check(any(r["reason"] == "filler" and r["start"] <= um0 + 0.05 and r["end"] >= um1 - 0.05
              for r in T["removed"]), "the um (%.3f-%.3f) is not cut as a filler: %s" % (um0, um1, T["removed"]))

    # Loudness.
    for id_, key in [("loudness-in", "input_integrated_lufs"), ("loudness-out", "output_integrated_lufs"),
                     ("loudness-target", "loudness_target_lufs"), ("true-peak-in", "input_true_peak_dbtp"),
                     ("true-peak-out", "output_true_peak_dbtp"), ("true-peak-target", "true_peak_target_dbtp")]:
        v = val(id_)
        check(near(v, A[key]), "%s %s != audio.%s %s" % (id_, v, key, A[key]))
        check(("%.1f" % A[key]) in txt(id_), "%s shown as %r" % (id_, txt(id_)))

    # Loudness over time: one curve per file, as long as the file, the
    # result levelled to the target (its loudest 3 s within a few LU).
    check(near(val("loudness-plot", "data-target"), A["loudness_target_lufs"]), "plot target")
    check(near(val("loudness-plot", "data-noise-before"), A["noise_floor_before_db"]) and
          near(val("loudness-plot", "data-noise-after"), A["noise_floor_after_db"]), "plot noise floors")
    for id_, dur in [("loudness-curve-in", M["input_duration"]), ("loudness-curve-out", M["output_duration"])]:
        n, step = val(id_, "data-points"), val(id_, "data-step")
        check(n is not None and step is not None and abs(n * step - dur) < 0.2,
              "%s covers %s x %s s, the file %s s" % (id_, n, step, dur))
    top = val("loudness-curve-out", "data-shortterm-max")
    tgt = A["loudness_target_lufs"]
    check(top is not None and tgt - 4 <= top <= tgt + 6,
          "result's loudest short-term %s LUFS vs target %s" % (top, tgt))

    # Transcript.
    words = TR["words"]
    cut = [w for w in words if w["cut"]]
    check(val("word-count") == len(words), "word count %s != %d" % (val("word-count"), len(words)))
    tw = ids.get("transcript-words")
    check(tw is not None and num(tw.attrs.get("data-words")) == len(words), "transcript data-words")
    if tw is not None:
        tlines = tw.find(cls="tline")
        check(sum(int(n.attrs["data-words"]) for n in tlines) == len(words), "line word counts")
        shown_words = " ".join(n.find(cls="tx")[0].text() for n in tlines).split()
        check(shown_words == [w["text"] for w in words], "transcript text %s != %s" % (shown_words, [w["text"] for w in words]))
        dels = tw.find(tag="del")
        check([d.text() for d in dels] == [w["text"] for w in cut], "struck words %s != cut %s" % ([d.text() for d in dels], [w["text"] for w in cut]))
        check(any(d.text() == "um" and "r-filler" in d.classes() for d in dels), "'um' not struck as a filler")
    check(val("transcript-cut") == len(cut), "cut words %s != %d" % (val("transcript-cut"), len(cut)))

    # Performance.
    times = {k: v for k, v in M["module_processing_times"].items() if k != "report"}
    bars = {n.attrs["data-stage"]: num(n.attrs["data-seconds"]) for n in ids["stage-times"].find(cls="bar")}
    check(set(bars) == set(times), "bars %s != stages %s" % (sorted(bars), sorted(times)))
    for k, t in times.items():
        check(near(bars.get(k), t), "stage %s: %s != %s" % (k, bars.get(k), t))
    for id_, key in [("peak-memory", "memory_peak_usage"), ("total-time", "total_processing_time"),
                     ("temp-peak", "temp_bytes_peak"), ("api-cost", "total_api_cost")]:
        check(near(val(id_), M[key]), "%s %s != %s" % (id_, val(id_), M[key]))
    check(txt("peak-memory") == "%.0f MB" % (M["memory_peak_usage"] / 1048576), "peak memory shown as %r" % txt("peak-memory"))
    calls = sum(M["api_calls_made"].values())
    check(val("api-calls") == calls == 1, "API calls %s / metrics %s (expected the one ASR call)" % (val("api-calls"), calls))
    cs = M["cache_statistics"]
    for kind in ["audio", "thumbnail", "api", "trend"]:
        rate = cs[kind + "_hit_rate"]
        n = ids.get("cache-" + kind)
        check(n is not None, "cache-%s missing" % kind)
        if n is not None:
            check(n.attrs.get("data-value") == "" if rate is None else near(num(n.attrs.get("data-value")), rate),
                  "cache %s rate %r != %r" % (kind, n.attrs.get("data-value"), rate))

    # Thumbnails.
    figs = ids["thumbnails"].find(tag="figure")
    expect = [(TH["recommended"], TH["picks"][0]["total"], TH["picks"][0]["time"])] + \
        [(f["path"], f["score"], f["time"]) for f in TH["files"]]
    check(len(figs) == len(expect), "thumbnail figures %d != %d" % (len(figs), len(expect)))
    for fig, (path, score, t) in zip(figs, expect):
        img = fig.find(tag="img")
        check(fig.attrs.get("data-path") == path and near(num(fig.attrs.get("data-score")), score)
              and near(num(fig.attrs.get("data-time")), t), "thumbnail %s != %s" % (fig.attrs, (path, score, t)))
        check(img and img[0].attrs.get("src") == "../" + path, "thumbnail src %s" % (img and img[0].attrs))
        check(os.path.isfile(os.path.join(out, "analytics", "../" + path)), "%s not found from analytics/" % path)
        check(("%.3f" % score) in fig.text(), "score %.3f not shown for %s" % (score, path))

    # Titles, description, tags, chapters, copy buttons.
    titles = [t["text"] for t in META["titles"]]
    check([txt("title-%d" % (i + 1)) for i in range(len(titles))] == titles, "titles differ")
    check(num(ids["titles"].attrs.get("data-count")) == len(titles), "title count")
    check(txt("description") == META["description"].strip(), "description differs")
    check(txt("headline") == META["headline"], "headline differs")
    check([n.text() for n in ids["tags"].find(cls="chip")] == [t["text"] for t in META["tags"]], "tags differ")
    check([n.text() for n in ids["hashtags"].find(cls="chip")] == META["hashtags"], "hashtags differ")
    chap = ids["chapters"].find(tag="tr", cls="chapter")
    check(len(chap) == len(META["chapters"]) and all(
        near(num(n.attrs["data-start"]), c["edited_start"]) and c["title"] in n.text()
        for n, c in zip(chap, META["chapters"])), "chapters differ")
    buttons = root.find(tag="button", cls="copy")
    check(len(buttons) >= len(titles) + 5, "only %d copy buttons" % len(buttons))
    for b in buttons:
        check("data-text" in b.attrs or b.attrs.get("data-copy") in ids, "copy button without a target: %s" % b.attrs)

    # Fix the edit.
    check(txt("render-command") == "ai-video-editor render " + out, "render command %r" % txt("render-command"))
    if os.path.exists(os.path.join(out, "transcript.txt")):
        check("[brackets]" in txt("fix-transcript"), "transcript.txt instructions missing")
    check("timeline.json" in txt("fix-timeline"), "timeline.json instructions missing")

    for f in failures:
        print("FAIL:", f)
    print("report_check: %d of %d checks passed" % (checks - len(failures), checks))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
