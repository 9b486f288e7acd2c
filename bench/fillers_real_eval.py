#!/usr/bin/env python3
"""Scores the cuts of `process` on real recordings (bench_fillers_real.sh).

Truth per file: word times from the corpus's own alignment (<name>.words.tsv,
<name>.fillers.tsv) where it has them, else from bench_align (PocketSphinx
forced alignment of the known transcript, <res>/<name>/align.tsv). Cuts: the
"cut" segments of timeline.json.

Per file and in total: fillers in the truth, wholly removed (what the cuts
leave of the filler is at most 30 ms), partly cut, left; real words damaged
(a cut overlaps the word's span by more than 10 ms, the truth's own time
resolution), of those by silence cuts; and on read speech (no fillers at
all) the false cuts per minute: every filler/stutter cut, and every silence
cut that damages a word. Stutter-like events (<cutoff-..> marks and repeated
words in the transcript) are counted beside the stutter cuts.

usage: fillers_real_eval.py RES_DIR NAME:KIND:AUDIO:TRANSCRIPT ...
       KIND is disfluent or read."""
import json
import os
import re
import sys

FILLERS = {"uh", "um", "hm", "hmm", "ah", "er", "uhm", "mm"}
RESIDUE = 0.030   # the "no residue longer than 30 ms"
OVERLAP = 0.010   # forced-alignment times are 10 ms frames


def read_tsv(path):
    rows = []
    for line in open(path):
        if not line.strip() or line.startswith("#"):
            continue
        a, b, w = line.rstrip("\n").split("\t")[:3]
        rows.append((float(a), float(b), w.lower()))
    return rows


def cuts_of(timeline, action="cut"):
    tl = json.load(open(timeline))
    return [(s["start"], s["end"], s.get("reason", "")) for s in tl["segments"]
            if s.get("action") == action]


def split_copies(real):
    """(words, earlier copies of a repeated word)."""
    # A trailing "s" is ignored: the corpus's own alignment of "words words
    # words words" spells one copy "word".
    def same(a, b):
        return a.rstrip("s") == b.rstrip("s")
    keep, copies = [], []
    for i, w in enumerate(real):
        if i + 1 < len(real) and same(real[i + 1][2], w[2]) and real[i + 1][0] - w[1] < 1.0:
            copies.append(w)
        else:
            keep.append(w)
    return keep, copies


def covered(a, b, cuts):
    """Seconds of [a, b) inside the union of cuts (cuts do not overlap)."""
    return sum(max(0.0, min(b, c1) - max(a, c0)) for c0, c1, _ in cuts)


def stutter_events(text):
    toks = text.lower().split()
    cutoffs = sum(1 for t in toks if t.startswith("<cutoff"))
    words = [t for t in toks if not t.startswith("<") and not t.startswith("[")]
    repeats = sum(1 for i in range(1, len(words))
                  if words[i] == words[i - 1] and words[i] not in FILLERS)
    return cutoffs + repeats


def score(res, name, kind, transcript):
    d = os.path.join(res, name)
    base = os.path.splitext(transcript)[0]
    if os.path.exists(base + ".words.tsv"):
        words, truth = read_tsv(base + ".words.tsv"), "corpus"
        fillers = read_tsv(base + ".fillers.tsv") if os.path.exists(base + ".fillers.tsv") else []
        fset = {(a, b) for a, b, _ in fillers}
        real = [w for w in words if (w[0], w[1]) not in fset and w[2] not in FILLERS]
    elif os.path.exists(os.path.join(d, "align.tsv")):
        words, truth = read_tsv(os.path.join(d, "align.tsv")), "aligned"
        fillers = [w for w in words if w[2] in FILLERS]
        real = [w for w in words if w[2] not in FILLERS]
    else:
        return None
    tl = os.path.join(d, "out", "timeline.json")
    if not os.path.exists(tl):
        return None
    cuts = cuts_of(tl)
    suggests = cuts_of(tl, "suggest")
    real, copies = split_copies(real)
    dur = json.load(open(tl)).get("source_duration", 0.0)
    r = {"name": name, "kind": kind, "truth": truth, "minutes": dur / 60.0,
         "fillers": len(fillers), "whole": 0, "partly": 0, "left": 0, "suggested": 0,
         "max_residue": 0.0, "copies": len(copies),
         "copies_cut": sum(1 for a, b, _ in copies if covered(a, b, cuts) >= (b - a) / 2),
         "words": len(real), "damaged": 0, "by_silence": 0, "false_cuts": 0,
         "stutter_events": stutter_events(open(transcript).read()),
         "stutter_cuts": sum(1 for c in cuts if c[2] == "stutter"), "damaged_list": []}
    for a, b, _ in fillers:
        left = (b - a) - covered(a, b, cuts)
        if left <= RESIDUE:
            r["whole"] += 1
            r["max_residue"] = max(r["max_residue"], left)
        elif left < (b - a) - 0.001:
            r["partly"] += 1
        elif covered(a, b, suggests) >= (b - a) / 2:
            r["suggested"] += 1
        else:
            r["left"] += 1
    for a, b, w in real:
        hit = [c for c in cuts if min(b, c[1]) - max(a, c[0]) > OVERLAP]
        if hit:
            r["damaged"] += 1
            r["damaged_list"].append("%s %.2f-%.2f (%s)" % (w, a, b, ",".join(c[2] for c in hit)))
            if any(c[2] == "silence" for c in hit):
                r["by_silence"] += 1
    if kind == "read":
        for c0, c1, reason in cuts:
            damages = any(min(b, c1) - max(a, c0) > OVERLAP for a, b, _ in real)
            if reason != "silence" or damages:
                r["false_cuts"] += 1
    return r


def main():
    res = sys.argv[1]
    rows = []
    for spec in sys.argv[2:]:
        name, kind, _audio, transcript = spec.split(":", 3)
        r = score(res, name, kind, transcript)
        if r is None:
            print("%-40s no result (process failed or no alignment)" % name)
            continue
        rows.append(r)
    cols = ("fillers", "whole", "suggested", "partly", "left", "words", "damaged", "by_silence",
            "stutter_events", "copies", "copies_cut", "stutter_cuts")
    heads = ("fillers", "whole", "sugg.", "partly", "left", "words", "damaged", "by_sil.",
             "stut.", "copies", "cp.cut", "st.cuts")
    fmt = "%-34s %-7s" + " %7s" * len(cols)
    for kind, title in (("disfluent", "Real disfluent speech (../shared/media/real-dev/speech_disfluent)"),
                        ("read", "Real read speech, no fillers (../shared/media/real)")):
        part = [r for r in rows if r["kind"] == kind]
        if not part:
            continue
        print("\n" + title)
        print(fmt % (("file", "truth") + heads) + ("  false/min" if kind == "read" else ""))
        tot = {k: 0 for k in cols + ("false_cuts",)}
        minutes, residue = 0.0, 0.0
        for r in part:
            for k in tot:
                tot[k] += r[k]
            minutes += r["minutes"]
            residue = max(residue, r["max_residue"])
            extra = "  %8.2f" % (r["false_cuts"] / r["minutes"]) if kind == "read" and r["minutes"] else ""
            print(fmt % ((r["name"][:34], r["truth"]) + tuple(r[k] for k in cols)) + extra)
        pct = 100.0 * tot["damaged"] / tot["words"] if tot["words"] else 0.0
        rec = 100.0 * tot["whole"] / tot["fillers"] if tot["fillers"] else 0.0
        extra = "  %8.2f" % (tot["false_cuts"] / minutes) if kind == "read" and minutes else ""
        print(fmt % (("TOTAL (%.1f min)" % minutes, "") + tuple(tot[k] for k in cols)) + extra)
        print("fillers wholly removed: %.0f%% (+%d suggested)   largest residue of a removed filler: "
              "%.0f ms   real words damaged: %.1f%%   by silence cuts: %d   stutter copies cut: %d of %d"
              % (rec, tot["suggested"], 1000 * residue, pct, tot["by_silence"], tot["copies_cut"],
                 tot["copies"]))
        for r in part:
            for d in r["damaged_list"]:
                print("  damaged in %s: %s" % (r["name"], d))


if __name__ == "__main__":
    main()
