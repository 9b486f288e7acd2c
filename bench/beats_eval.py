#!/usr/bin/env python3
"""Score beat times against a truth grid (bench/bench_beats_real.sh).

usage: beats_eval.py TRUTH.beats.txt OURS.json AUBIO.txt NAME

Prints one row: name, truth tempo, our tempo, its error % and octave flag,
F-measure (+-70 ms, one-to-one, all beats: no start-up seconds skipped),
our tempo segment count and BPM range, aubio's F, tempo and octave flag.
Our tempo is checked against the true tempo over the span of our longest
segment (so a tempo change is judged where it was measured); aubio's, as
60 / median interval of its beats, against the whole file's.
"""
import json
import sys

WIN = 0.07


def fmeasure(est, ref):
    used, hit, j0 = set(), 0, 0
    for t in ref:
        best = None
        for j in range(j0, len(est)):
            x = est[j]
            if x < t - WIN:
                j0 = j
                continue
            if x > t + WIN:
                break
            if j not in used and (best is None or abs(x - t) < abs(est[best] - t)):
                best = j
        if best is not None:
            used.add(best)
            hit += 1
    if not hit:
        return 0.0
    p, r = hit / len(est), hit / len(ref)
    return 2 * p * r / (p + r)


def med_tempo(beats):
    iv = sorted(b - a for a, b in zip(beats, beats[1:]))
    return 60.0 / iv[len(iv) // 2] if iv else 0.0


def octave(est, true):
    """'ok' within 4%, 'x2' 'x1/2' 'x3' 'x1/3' 'x3/2' 'x2/3' for metrical errors, else 'off'."""
    if est <= 0:
        return "none"
    r = est / true
    for name, f in (("ok", 1), ("x2", 2), ("x1/2", 0.5), ("x3", 3), ("x1/3", 1 / 3),
                    ("x3/2", 1.5), ("x2/3", 2 / 3)):
        if abs(r / f - 1) <= 0.04:
            return name
    return "off"


def main():
    ref = [float(x) for x in open(sys.argv[1]) if x.strip()]
    ours = json.load(open(sys.argv[2]))
    aub = [float(x.split()[0]) for x in open(sys.argv[3]) if x.strip()]
    true_all = med_tempo(ref)
    segs = ours["tempo_segments"]
    tempo = ours["tempo"]
    span_true = true_all
    if segs:
        s = max(segs, key=lambda s: s[1] - s[0])
        inside = [t for t in ref if s[0] - 0.1 <= t <= s[1] + 0.1]
        if len(inside) >= 3:
            span_true = med_tempo(inside)
    bpms = [s[2] for s in segs]
    rng = "%.0f-%.0f" % (min(bpms), max(bpms)) if bpms else "-"
    err = abs(tempo / span_true - 1) * 100 if tempo > 0 else 100.0
    at = med_tempo(aub)
    print("%-28s %6.1f %7.1f %6.1f %-5s %5.3f %4d %-9s %5.3f %7.1f %-5s %5d" % (
        sys.argv[4], true_all, tempo, err, octave(tempo, span_true), fmeasure(ours["beats"], ref),
        len(segs), rng, fmeasure(aub, ref), at, octave(at, true_all), len(ours["beats"])))


if __name__ == "__main__":
    main()
