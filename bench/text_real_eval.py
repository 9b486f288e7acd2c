#!/usr/bin/env python3
"""Score the publishable text of bench_text_real.sh runs against reference
transcripts.

usage: text_real_eval.py WORK NAME:AUDIO:TRANSCRIPT...

A "text word" is a word of the headline, of each of the five titles or of a
tag that came from the transcript: the fixed words of the title and tag
templates (docs/METADATA.md) and of the neutral fallbacks are left out,
since they are ours, not the recogniser's. A text word is correct when its
light stem (trailing s / 's removed) is the stem of a word of the reference.
Every occurrence counts (a keyphrase in all five titles counts five times),
so the share is what a viewer would read. Neutral titles (metadata.json
reliability.titles_neutral: nothing was heard reliably enough, so the titles
are the file name as words) are not recognised text and are counted apart,
as "fallback" files."""
import json
import re
import sys

TEMPLATE = set("""
explained complete guide for beginners beginner's why does matter matters what nobody tells you
about the surprising truth simply learn step by understanding a everything need things to know
should key facts everyone i finally understood and will too made sense me stop struggling with
it is simpler than think more tutorial basics of this topic
recording talk lecture video untitled full
""".split())


def stem(w):
    w = w.lower().strip("'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 3 and w.endswith("s") and w[-2] not in "sui":
        w = w[:-1]
    return w


def words(text):
    return [w for w in re.findall(r"[a-z0-9']+", text.lower()) if w and w not in TEMPLATE
            and not w.isdigit()]


def main():
    work = sys.argv[1]
    tot_in = tot_all = files_text = files_none = files_neutral = 0
    print("%-40s %5s %6s  %s" % ("file", "words", "in ref", "headline | seo title | tags"))
    for spec in sys.argv[2:]:
        name, _audio, ref_path = spec.split(":", 2)
        ref_words = re.findall(r"[a-z0-9']+", open(ref_path).read().lower())
        ref = {stem(w) for w in ref_words}
        try:
            m = json.load(open("%s/%s/metadata/metadata.json" % (work, name)))
        except (OSError, ValueError):
            print("%-40s  (no metadata.json)" % name)
            files_none += 1
            continue
        r = m.get("reliability", {})
        neutral = isinstance(r, dict) and r.get("titles_neutral", False)
        files_neutral += bool(neutral)
        texts = [m.get("headline", "")]
        if not neutral:
            texts += [t.get("text", "") for t in m.get("titles", [])]
        texts += [t.get("text", "") for t in m.get("tags", [])]
        ws = [w for t in texts for w in words(t)]
        hit = sum(stem(w) in ref for w in ws)
        tot_in += hit
        tot_all += len(ws)
        files_text += bool(ws)
        titles = m.get("titles", [])
        seo = titles[0]["text"] if titles else ""
        if neutral:
            seo = "(neutral) " + seo
        tags = ",".join(t["text"] for t in m.get("tags", [])[:4])
        share = "%5.0f%%" % (100.0 * hit / len(ws)) if ws else "     -"
        print("%-40s %5d %6s  %s | %s | %s" % (name[:40], len(ws), share, m.get("headline", ""),
                                               seo, tags))
        wrong = sorted({w for w in ws if stem(w) not in ref})
        if wrong:
            print("%-40s %5s %6s  not in reference: %s" % ("", "", "", " ".join(wrong)))
    print()
    print("files: %d with transcript-derived text, %d with neutral titles and no headline, "
          "%d without metadata" % (files_text, files_neutral, files_none))
    if tot_all:
        print("TOTAL text words in the reference: %d / %d = %.1f %% (target >= 90 %%)" %
              (tot_in, tot_all, 100.0 * tot_in / tot_all))
    else:
        print("TOTAL: no transcript-derived text words")


if __name__ == "__main__":
    main()
