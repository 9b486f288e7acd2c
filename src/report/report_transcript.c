/* The "Transcript" section: every recognised word, one line per sentence
 * (split like transcript.txt: at a pause over LINE_GAP_US or after
 * LINE_MAX_WORDS words), each line with its source time and where it lands
 * in the edited video. Words the edit removed are struck through and
 * coloured by the reason of the cut that removed them (the timeline segment
 * under the word's middle); fillers the edit kept are underlined dotted. */
#include <math.h>

#include "report/report.h"

#define LINE_GAP_US 600000
#define LINE_MAX_WORDS 20

/* Why word w is gone, or AVE_REASON_KEEP when it is in the edit. *seg walks
 * forward through the timeline as the (sorted) words do. */
static int cut_reason(const ave_timeline *tl, size_t *seg, const ave_word *w)
{
    int64_t mid = (w->start_us + w->end_us) / 2;
    while (*seg + 1 < tl->count && tl->segs[*seg].end_us <= mid)
        (*seg)++;
    if (*seg < tl->count && !tl->segs[*seg].keep && tl->segs[*seg].start_us <= mid)
        return tl->segs[*seg].reason;
    if (!(w->flags & AVE_WORD_CUT))
        return AVE_REASON_KEEP;
    return (w->flags & AVE_WORD_FILLER)    ? AVE_REASON_FILLER
           : (w->flags & AVE_WORD_STUTTER) ? AVE_REASON_STUTTER
                                           : AVE_REASON_OTHER;
}

static size_t line_end(const ave_word *w, size_t n, size_t first)
{
    size_t i = first + 1;
    while (i < n && i - first < LINE_MAX_WORDS && w[i].start_us - w[i - 1].end_us <= LINE_GAP_US)
        i++;
    return i;
}

static void write_line(dynbuf *b, const ave_job *job, size_t first, size_t end, size_t *seg,
                       size_t *cut_total)
{
    const ave_word *w = job->analysis.words;
    const ave_timeline *tl = &job->timeline;
    double t = (double)w[first].start_us / 1e6;
    dynbuf_printf(b,
                  "<div class=\"tline\" data-start=\"%.3f\" data-words=\"%zu\"><div class=\"ts\">",
                  t, end - first);
    rb_clock(b, t, 1);
    int64_t ed;
    if (tl->count && ave_timeline_map(tl, w[first].start_us, &ed) == 0) {
        dynbuf_adds(b, "<small title=\"time in the edited video\">&#9656; ");
        rb_clock(b, (double)ed / 1e6, 1);
        dynbuf_adds(b, "</small>");
    }
    dynbuf_adds(b, "</div><div class=\"tx\">");
    for (size_t i = first; i < end; i++) {
        int why = tl->count ? cut_reason(tl, seg, &w[i]) : AVE_REASON_KEEP;
        if (i > first)
            dynbuf_adds(b, " ");
        if (why != AVE_REASON_KEEP) {
            (*cut_total)++;
            dynbuf_printf(b, "<del class=\"w r-%s\" title=\"cut: %s at ", ave_reason_name(why),
                          ave_reason_name(why));
            rb_clock(b, (double)w[i].start_us / 1e6, 2);
            dynbuf_adds(b, "\">");
            rb_text(b, w[i].text);
            dynbuf_adds(b, "</del>");
        } else if (w[i].flags & (AVE_WORD_FILLER | AVE_WORD_STUTTER | AVE_WORD_SUGGESTED)) {
            dynbuf_printf(b, "<span class=\"w flagged\" title=\"%s kept in the edit\">",
                          w[i].flags & AVE_WORD_FILLER      ? "filler"
                          : w[i].flags & AVE_WORD_SUGGESTED ? "suggested cut (filler)"
                                                            : "repetition");
            rb_text(b, w[i].text);
            dynbuf_adds(b, "</span>");
        } else {
            rb_text(b, w[i].text);
        }
    }
    dynbuf_adds(b, "</div></div>\n");
}

void report_transcript(dynbuf *b, const report_data *d)
{
    const ave_job *job = d->job;
    const ave_analysis *an = &job->analysis;
    dynbuf_adds(b, "<section class=\"card\" id=\"transcript\">\n<h2>Transcript</h2>\n");
    if (!an->word_count) {
        report_missing(b, d, "speech", "No transcript");
        dynbuf_adds(b, "</section>\n");
        return;
    }
    size_t flagged_cut = 0;
    for (size_t i = 0; i < an->word_count; i++)
        flagged_cut += !!(an->words[i].flags & AVE_WORD_CUT);
    dynbuf_printf(b, "<p class=\"lead\">%zu words", an->word_count);
    if (an->asr_engine[0]) {
        dynbuf_adds(b, " heard by ");
        rb_text(b, an->asr_engine);
    }
    dynbuf_adds(
        b, ". <del class=\"w r-filler\">Struck-through</del> words are not in the edit, coloured "
           "by why; times are in the input, &#9656; in the edited video.</p>\n");
    dynbuf_printf(b,
                  "<div class=\"transcript\" id=\"transcript-words\" data-words=\"%zu\" "
                  "data-cut-flagged=\"%zu\">\n",
                  an->word_count, flagged_cut);
    size_t seg = 0, cut_total = 0;
    for (size_t first = 0; first < an->word_count;) {
        size_t end = line_end(an->words, an->word_count, first);
        write_line(b, job, first, end, &seg, &cut_total);
        first = end;
    }
    dynbuf_printf(b,
                  "</div>\n<p class=\"lead\" id=\"transcript-cut\" data-value=\"%zu\">%zu of %zu "
                  "words are cut.</p>\n</section>\n",
                  cut_total, cut_total, an->word_count);
}
