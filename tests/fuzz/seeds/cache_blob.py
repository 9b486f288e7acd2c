#!/usr/bin/env python3
"""Writes the seed inputs of fuzz_cache_blob (corpus/cache_blob/): one valid
cache entry per cached stage, in the byte layout of src/pipeline/stage_cache.c
(envelope) and src/*/*_cache.c (blobs), for a 10 s input. The first byte
picks the stage: 0 silence, 1 speech, 2 frames. With --regress, instead the
damaged entries that loaders once accepted (regress/cache_blob/). Rerun after
a format change:
    python3 tests/fuzz/seeds/cache_blob.py tests/fuzz/corpus/cache_blob
    python3 tests/fuzz/seeds/cache_blob.py --regress tests/fuzz/regress/cache_blob"""
import json
import os
import struct
import sys

D = 10_000_000  # the target's input duration, us


def u32(v): return struct.pack("<I", v)
def i64(v): return struct.pack("<q", v)
def f64(v): return struct.pack("<d", v)


def timeline(segs):
    out = i64(D) + u32(len(segs))
    for a, b, keep, reason in segs:
        out += i64(a) + i64(b) + u32(keep) + u32(reason)
    return out


def envelope(stage, metrics, blob):
    js = json.dumps(metrics, separators=(",", ":")).encode() if metrics is not None else b""
    return bytes([stage]) + u32(0x43455641) + u32(2) + u32(len(js)) + js + blob


SILENCE, FILLER = 1, 2
tl = timeline([(0, 800_000, 0, SILENCE), (800_000, 4_000_000, 1, 0),
               (4_000_000, 5_200_000, 0, SILENCE), (5_200_000, D, 1, 0)])

silence = u32(1) + u32(2) + i64(0) + i64(800_000) + i64(4_000_000) + i64(5_200_000)
silence += f64(-62.5) + f64(-21.0) + f64(-45.25) + tl


def silence_blob(pauses, levels=(-62.5, -21.0, -45.25)):
    out = u32(1) + u32(len(pauses))
    for a, b in pauses:
        out += i64(a) + i64(b)
    return out + b"".join(f64(v) for v in levels) + tl


def speech_blob(words):
    out = u32(1) + b"pocketsphinx".ljust(32, b"\0") + u32(len(words))
    for a, b, text, flags, conf in words:
        out += i64(a) + i64(b) + text.ljust(48, b"\0") + f64(conf) + f64(0.5) + u32(flags)
    return out + tl


speech = speech_blob([(900_000, 1_200_000, b"hello", 0, 0.875), (1_300_000, 1_700_000, b"um", 3, 0.5),
                      (2_000_000, 2_600_000, b"world", 0, 1.0)])

frames = u32(1) + u32(320) + u32(180) + u32(2)
for pts, scene, faces in [(0, 0, [(0.25, 0.2, 0.3, 0.4, 5)]), (5_000_000, 1, [])]:
    frames += i64(pts) + b"".join(f64(v) for v in (120.5, 0.45, 0.2, 0.01, 0.0, 0.3, 0.05, 0.1))
    frames += u32(scene) + u32(len(faces))
    for x, y, w, h, n in faces:
        frames += f64(x) + f64(y) + f64(w) + f64(h) + u32(n)
frames += u32(2) + i64(0) + i64(5_000_000) + f64(0) + u32(0)
frames += i64(5_000_000) + i64(D) + f64(0.7) + u32(1)
for text in (b'{"frames":[]}', b'{"scenes":[]}'):
    frames += u32(len(text)) + text

regress = [
    # Loaders used to take these (found by fuzz_cache_blob): pauses out of
    # order or reversed, NaN levels, words out of order or with NaN scores.
    ("silence_unsorted.bin", envelope(0, None, silence_blob([(4_000_000, 5_200_000), (0, 800_000)]))),
    ("silence_reversed.bin", envelope(0, None, silence_blob([(5_200_000, 4_000_000)]))),
    ("silence_nan_level.bin", envelope(0, None, silence_blob([], (float("nan"), -21.0, -45.0)))),
    ("speech_unsorted.bin", envelope(1, None, speech_blob([(2_000_000, 2_600_000, b"b", 0, 1.0),
                                                           (900_000, 1_200_000, b"a", 0, 1.0)]))),
    ("speech_negative.bin", envelope(1, None, speech_blob([(-5, 1_200_000, b"a", 0, 1.0)]))),
    ("speech_nan.bin", envelope(1, None, speech_blob([(900_000, 1_200_000, b"a", 0, float("nan"))]))),
]
if sys.argv[1] == "--regress":
    os.makedirs(sys.argv[2], exist_ok=True)
    for name, data in regress:
        with open(os.path.join(sys.argv[2], name), "wb") as f:
            f.write(data)
    sys.exit(0)
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for name, data in [("silence.bin", envelope(0, {"pauses": 2, "noise_floor_db": -62.5}, silence)),
                   ("speech.bin", envelope(1, {"words": 3, "engine": "pocketsphinx"}, speech)),
                   ("speech_no_metrics.bin", envelope(1, None, speech)),
                   ("frames.bin", envelope(2, {"frames_sampled": 2}, frames)),
                   ("frames_metrics_array.bin", envelope(2, [1, 2], frames))]:
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
