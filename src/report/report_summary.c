/* The first two sections: "Summary" (input and output durations, what was
 * removed, by reason) and "Timeline" (the strip of the whole input and the
 * list of cuts). Durations and the cut count come from the final metrics,
 * so they equal performance_metrics.json; the per-reason breakdown and the
 * cut list come from the job's timeline, which is what timeline.json holds. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"

#define CUTS_OPEN_MAX 12 /* longer cut lists start folded */

static void stat_card(dynbuf *b, const char *id, double value, const char *shown, const char *label,
                      int accent)
{
    dynbuf_printf(b, "<div class=\"stat%s\"><div class=\"v\" id=\"%s\" data-value=\"",
                  accent ? " accent" : "", id);
    rb_num(b, value);
    dynbuf_printf(b, "\">%s</div><div class=\"l\">", shown);
    rb_text(b, label);
    dynbuf_adds(b, "</div></div>\n");
}

static void clock_text(char *buf, size_t len, double s)
{
    dynbuf tmp;
    dynbuf_init(&tmp, 64);
    rb_clock(&tmp, s, 1);
    snprintf(buf, len, "%s", tmp.err ? "?" : tmp.data ? tmp.data : "");
    dynbuf_free(&tmp);
}

static void reason_totals(const ave_timeline *tl, double secs[AVE_REASON_COUNT],
                          int counts[AVE_REASON_COUNT])
{
    memset(secs, 0, sizeof(double) * AVE_REASON_COUNT);
    memset(counts, 0, sizeof(int) * AVE_REASON_COUNT);
    for (size_t i = 0; i < tl->count; i++) {
        const ave_segment *s = &tl->segs[i];
        if (s->keep || s->reason < 0 || s->reason >= AVE_REASON_COUNT)
            continue;
        secs[s->reason] += (double)(s->end_us - s->start_us) / 1e6;
        counts[s->reason]++;
    }
}

/* "9.1 s in, 7.9 s out: 1.2 s (13%) removed in 2 cuts, 0.9 s of silence and
 * 0.3 s of filler." -- the whole summary in one line. */
static void lead_sentence(dynbuf *b, double in_s, double out_s, double removed, double share,
                          const double secs[AVE_REASON_COUNT], const int counts[AVE_REASON_COUNT],
                          int rendered)
{
    int kinds = 0, done = 0;
    size_t cuts = 0;
    for (int r = 1; r < AVE_REASON_COUNT; r++)
        kinds += counts[r] > 0, cuts += (size_t)counts[r];
    dynbuf_printf(b, "<p class=\"lead\">%.1f s in, %.1f s out", in_s, out_s);
    if (!kinds || !isfinite(removed))
        dynbuf_adds(b, ": nothing was removed.");
    else {
        dynbuf_printf(b, ": %.1f s (%.0f%%) removed in %zu cut%s, ", removed, share, cuts,
                      cuts == 1 ? "" : "s");
        for (int r = 1; r < AVE_REASON_COUNT; r++) {
            if (!counts[r])
                continue;
            done++;
            dynbuf_printf(b, "%s%.1f s of %s",
                          done == 1       ? ""
                          : done == kinds ? " and "
                                          : ", ",
                          secs[r], ave_reason_name(r));
        }
        dynbuf_adds(b, ".");
    }
    if (!rendered)
        dynbuf_adds(
            b, " The video was not rendered in this run: the output length is the planned one.");
    dynbuf_adds(b, "</p>\n");
}

void report_summary(dynbuf *b, const report_data *d)
{
    const ave_job *job = d->job;
    double in_s = report_metric(d, NULL, "input_duration");
    double out_s = report_metric(d, NULL, "output_duration");
    double removed = report_metric(d, NULL, "time_removed");
    double cuts = report_metric(d, NULL, "cut_count");
    char shown[64], label[96];

    dynbuf_adds(b, "<section class=\"card\" id=\"summary\">\n<h2>Summary</h2>\n");
    if (!isfinite(in_s) || in_s <= 0)
        in_s = d->input_s;
    int rendered = isfinite(out_s) && out_s > 0;
    if (!rendered && job->timeline.count)
        out_s = (double)ave_timeline_kept_duration(&job->timeline) / 1e6;
    double share = in_s > 0 && isfinite(removed) ? 100 * removed / in_s : 0;
    double secs[AVE_REASON_COUNT];
    int counts[AVE_REASON_COUNT];
    reason_totals(&job->timeline, secs, counts);
    lead_sentence(b, in_s, out_s, removed, share, secs, counts, rendered);
    dynbuf_adds(b, "<div class=\"stats\">\n");
    clock_text(shown, sizeof(shown), in_s);
    stat_card(b, "input-duration", in_s, shown, "input length", 0);
    clock_text(shown, sizeof(shown), out_s);
    stat_card(b, "output-duration", out_s, shown, rendered ? "edited length" : "planned length", 1);
    snprintf(shown, sizeof(shown), "%.1f s", isfinite(removed) ? removed : 0);
    snprintf(label, sizeof(label), "removed (%.0f%% of the input)", share);
    stat_card(b, "time-removed", removed, shown, label, 0);
    snprintf(shown, sizeof(shown), "%.0f", isfinite(cuts) ? cuts : 0);
    stat_card(b, "cut-count", cuts, shown, "cuts", 0);
    if (job->analysis.word_count) {
        size_t cut_words = 0;
        for (size_t i = 0; i < job->analysis.word_count; i++)
            cut_words += !!(job->analysis.words[i].flags & AVE_WORD_CUT);
        snprintf(shown, sizeof(shown), "%zu", job->analysis.word_count);
        snprintf(label, sizeof(label), "words heard, %zu cut", cut_words);
        stat_card(b, "word-count", (double)job->analysis.word_count, shown, label, 0);
    }
    dynbuf_adds(b, "</div>\n");

    dynbuf_adds(b, "<h3>Removed, by reason</h3>\n<div class=\"reasonbar\" role=\"img\" "
                   "aria-label=\"share of the input removed, by reason\">");
    for (int r = 1; r < AVE_REASON_COUNT; r++)
        if (counts[r] && in_s > 0)
            dynbuf_printf(b, "<span class=\"r-%s\" style=\"width:%.3f%%\"></span>",
                          ave_reason_name(r), 100 * secs[r] / in_s);
    dynbuf_adds(b, "</div>\n<div class=\"legend\" id=\"reasons\">");
    int any = 0;
    for (int r = 1; r < AVE_REASON_COUNT; r++) {
        if (!counts[r])
            continue;
        any = 1;
        dynbuf_printf(b, "<span class=\"reason\" data-reason=\"%s\" data-seconds=\"",
                      ave_reason_name(r));
        rb_num(b, secs[r]);
        dynbuf_printf(b,
                      "\" data-count=\"%d\"><span class=\"sw r-%s\"></span><b>%s</b> %.1f s in %d "
                      "cut%s</span>",
                      counts[r], ave_reason_name(r), ave_reason_name(r), secs[r], counts[r],
                      counts[r] == 1 ? "" : "s");
    }
    if (!any)
        dynbuf_adds(b, "<span>Nothing was removed: the whole input is kept.</span>");
    dynbuf_adds(b, "<span><span class=\"sw r-keep\"></span>kept</span></div>\n</section>\n");
}

static void cut_table(dynbuf *b, const ave_timeline *tl)
{
    size_t removed = ave_timeline_removed_count(tl);
    if (!removed) {
        dynbuf_adds(b, "<p class=\"missing\">No cuts: the edit keeps the whole input.</p>\n");
        return;
    }
    if (removed > CUTS_OPEN_MAX)
        dynbuf_printf(b, "<details><summary>All %zu cuts</summary>\n", removed);
    else
        dynbuf_adds(b, "<h3>Cuts</h3>\n");
    dynbuf_adds(b, "<div class=\"tablewrap\"><table id=\"cuts\"><thead><tr><th>#</th><th>from</th>"
                   "<th>to</th><th>length</th><th>reason</th><th>in the edit</th></tr></thead>"
                   "<tbody>\n");
    size_t n = 0;
    for (size_t i = 0; i < tl->count; i++) {
        const ave_segment *s = &tl->segs[i];
        if (s->keep)
            continue;
        int64_t edited = 0;
        ave_timeline_map(tl, s->start_us, &edited);
        double a = (double)s->start_us / 1e6, z = (double)s->end_us / 1e6;
        dynbuf_printf(b,
                      "<tr class=\"cut\" data-start=\"%.6f\" data-end=\"%.6f\" data-reason=\"%s\">"
                      "<td>%zu</td><td>",
                      a, z, ave_reason_name(s->reason), ++n);
        rb_clock(b, a, 2);
        dynbuf_adds(b, "</td><td>");
        rb_clock(b, z, 2);
        dynbuf_printf(b, "</td><td>%.2f s</td><td><span class=\"pill r-%s\">%s</span></td><td>",
                      z - a, ave_reason_name(s->reason), ave_reason_name(s->reason));
        rb_clock(b, (double)edited / 1e6, 2);
        dynbuf_adds(b, "</td></tr>\n");
    }
    dynbuf_adds(b, "</tbody></table></div>\n");
    if (removed > CUTS_OPEN_MAX)
        dynbuf_adds(b, "</details>\n");
}

/* Filler candidates below the cut threshold: kept, listed so the user can
 * accept one by changing its "suggest" segment in timeline.json to "cut". */
static void suggestion_table(dynbuf *b, const ave_job *job)
{
    const ave_word *w = job->analysis.words;
    size_t n = 0;

    for (size_t i = 0; i < job->analysis.word_count; i++) {
        if (!(w[i].flags & AVE_WORD_SUGGESTED) || (w[i].flags & AVE_WORD_CUT))
            continue;
        if (n++ == 0)
            dynbuf_adds(b, "<h3>Suggested cuts (kept)</h3>\n<p class=\"lead\">Possible fillers the "
                           "detector was not sure enough of to cut. To remove one, change its "
                           "<code>\"suggest\"</code> segment in <code>timeline.json</code> to "
                           "<code>\"cut\"</code> and run <code>ai-video-editor render</code>."
                           "</p>\n<div class=\"tablewrap\"><table id=\"suggestions\"><thead><tr>"
                           "<th>#</th><th>from</th><th>to</th><th>heard as</th><th>confidence</th>"
                           "</tr></thead><tbody>\n");
        double a = (double)w[i].start_us / 1e6, z = (double)w[i].end_us / 1e6;
        dynbuf_printf(
            b, "<tr class=\"suggestion\" data-start=\"%.6f\" data-end=\"%.6f\"><td>%zu</td><td>", a,
            z, n);
        rb_clock(b, a, 2);
        dynbuf_adds(b, "</td><td>");
        rb_clock(b, z, 2);
        dynbuf_adds(b, "</td><td>");
        rb_text(b, w[i].text);
        dynbuf_printf(b, "</td><td>%.2f</td></tr>\n", (double)w[i].filler_score);
    }
    if (n)
        dynbuf_adds(b, "</tbody></table></div>\n");
}

void report_timeline(dynbuf *b, const report_data *d)
{
    dynbuf_adds(b,
                "<section class=\"card\" id=\"timeline\">\n<h2>Timeline</h2>\n"
                "<p class=\"lead\">The whole input, left to right: the waveform, its level (line), "
                "and every cut coloured by its reason. Greyed sound is not in the edit. Hover a "
                "cut for its times.</p>\n");
    if (!d->job->timeline.count) {
        report_missing(b, d, "plan", "No edit timeline");
    } else {
        report_strip_svg(b, d);
        cut_table(b, &d->job->timeline);
        suggestion_table(b, d->job);
    }
    dynbuf_adds(b, "</section>\n");
}
