#!/usr/bin/env python3
"""Score filler detection against the corpus truth (bench/bench_fillers.sh).

usage: fillers_eval.py CORPUS RESULTS COND...

RESULTS/COND/clipNN/ holds transcript.json, analytics/performance_metrics.json
and time.txt ("wall user sys" of the run). Per condition it prints:
  filler events: precision, recall, F1. A true filler is found when the
    filler-flagged words (what the filler cut removes) cover >= 50% of it; a
    detection is correct when >= 50% of it lies inside true fillers or it
    belongs to a found filler.
  damaged: share of real words that lose any audio (> 5 ms of overlap with a
    filler-flagged span; word times from fillers_corpus.py); by_ins: the part
    caused by fillers the detector inserted (the rest: words the recogniser
    itself wrote as hesitations, e.g. "ah" for the end of "dog").
  WER of the kept (non-filler) words against the phrases.
  RTF: speech stage decode + filler detection time over audio length (wall,
    as recorded by the stage; RTFdet: detection alone), CPU/s: the whole
    run's CPU time (all threads, model loading included) over audio length,
    CPUdet/s: the detection's own CPU time over audio length.
"""
import json
import os
import sys


def ov(a0, a1, b0, b1):
    return max(0.0, min(a1, b1) - max(a0, b0))


def wer(ref, hyp):
    r, h = ref, hyp
    d = list(range(len(h) + 1))
    for i in range(1, len(r) + 1):
        prev, d[0] = d[0], i
        for j in range(1, len(h) + 1):
            cur = min(d[j] + 1, d[j - 1] + 1, prev + (r[i - 1] != h[j - 1]))
            prev, d[j] = d[j], cur
    return d[len(h)], len(r)


def main():
    corpus, results, conds = sys.argv[1], sys.argv[2], sys.argv[3:]
    print("%-8s %5s %5s %5s %6s %6s %6s %8s %8s %7s %7s %7s %8s" %
          ("cond", "true", "det", "P", "R", "F1", "WER", "damaged", "by_ins", "RTF", "RTFdet",
           "CPU/s", "CPUdet/s"))
    for cond in conds:
        tp_true = n_true = det_ok = n_det = 0
        dmg = dmg_ins = n_words = 0
        errs = nref = 0
        audio = dec = fdet = fcpu = cpu = 0.0
        for name in sorted(os.listdir(os.path.join(results, cond))):
            truth = json.load(open(os.path.join(corpus, name + ".json")))
            d = os.path.join(results, cond, name)
            try:
                tr = json.load(open(os.path.join(d, "transcript.json")))
                m = json.load(open(os.path.join(d, "analytics", "performance_metrics.json")))
            except OSError:
                print("missing results in", d, file=sys.stderr)
                continue
            words = tr["words"]
            dets = [(w["start"], w["end"]) for w in words if w.get("filler")]
            ins = [(w["start"], w["end"]) for w in words if w.get("filler") and w.get("acoustic")]
            fills = [(f[0], f[1]) for f in truth["fillers"]]
            n_true += len(fills)
            n_det += len(dets)
            found = set()
            for i, (a, b) in enumerate(fills):
                if sum(ov(a, b, x, y) for x, y in dets) >= 0.5 * (b - a):
                    tp_true += 1
                    found.add(i)
            for x, y in dets:
                inside = sum(ov(x, y, a, b) for a, b in fills)
                if inside >= 0.5 * (y - x) or any(ov(x, y, *fills[i]) > 0 for i in found):
                    det_ok += 1
            for a, b, _ in truth["words"]:
                n_words += 1
                if any(ov(a, b, x, y) > 0.005 for x, y in dets):
                    dmg += 1
                if any(ov(a, b, x, y) > 0.005 for x, y in ins):
                    dmg_ins += 1
            ref = " ".join(truth["text"]).split()
            hyp = [w["text"] for w in words if not w.get("filler")]
            e, n = wer(ref, hyp)
            errs += e
            nref += n
            audio += truth["duration"]
            sp = m.get("speech", {})
            dec += sp.get("decode_time_s", 0)
            fdet += sp.get("filler_detect_time_s", 0)
            fcpu += sp.get("filler_detect_cpu_s", 0)
            try:
                wall, user, sys_ = open(os.path.join(d, "time.txt")).read().split()
                cpu += float(user) + float(sys_)
            except (OSError, ValueError):
                pass
        p = det_ok / n_det if n_det else 1.0
        r = tp_true / n_true if n_true else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print("%-8s %5d %5d %5.2f %6.2f %6.2f %6.3f %7.1f%% %7.1f%% %7.3f %7.3f %7.3f %8.4f" %
              (cond, n_true, n_det, p, r, f1, errs / max(nref, 1), 100.0 * dmg / max(n_words, 1),
               100.0 * dmg_ins / max(n_words, 1),
               (dec + fdet) / max(audio, 1e-9), fdet / max(audio, 1e-9), cpu / max(audio, 1e-9),
               fcpu / max(audio, 1e-9)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
