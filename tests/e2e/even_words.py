#!/usr/bin/env python3
"""A transcription answer for the stand-in ASR server (asr_server.py): the
words of each part at even shares of its span.

Usage: even_words.py PARTS [PROBABILITY] > RESPONSE.json
PARTS holds one line per spoken part: "start_s duration_s word word ...".
Each word gets start/end (20 ms short of the next word) and, when
PROBABILITY is given, that "probability" (the recogniser's confidence).
Standard library only."""
import json
import sys

words = []
for line in open(sys.argv[1]):
    t, d, *text = line.split()
    t, d = float(t), float(d)
    for i, w in enumerate(text):
        a = t + d * i / len(text)
        word = {"word": w, "start": round(a, 3), "end": round(a + d / len(text) - 0.02, 3)}
        if len(sys.argv) > 2:
            word["probability"] = float(sys.argv[2])
        words.append(word)
print(json.dumps({"text": " ".join(w["word"] for w in words), "words": words}))
