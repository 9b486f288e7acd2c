/* The "Highlights" section (--highlights N): each pick of the content stage
 * with its rank, title, place on the edited video, what was said, and the
 * parts of its score as chips, so a creator sees why a stretch was chosen,
 * and the vertical short the render made of it (shorts/NN.mp4) to play.
 * No section when none was asked for. */
#include <stdio.h>

#include "report/report.h"

static void part(dynbuf *b, const char *name, double v)
{
    if (v <= 0)
        return;
    dynbuf_printf(b, "<span class=\"chip\">%s %.0f%%</span>", name, 100 * v);
}

void report_highlights(dynbuf *b, const report_data *d)
{
    const ave_analysis *a = &d->job->analysis;
    if (!a->highlight_count)
        return;
    dynbuf_printf(b, "<section class=\"card\" id=\"highlights\" data-count=\"%zu\">\n"
                 "<h2>Highlights</h2>\n<p class=\"lead\">The strongest stretches of whole "
                 "sentences for shorts, best first (shorts/highlights.json; also markers in the "
                 "NLE exports). Times are in the edited video.</p>\n"
                 "<div class=\"tablewrap\"><table id=\"highlight-list\"><tbody>\n",
              a->highlight_count);
    for (size_t i = 0; i < a->highlight_count; i++) {
        const ave_highlight *h = &a->highlights[i];
        char file[32];
        double s = (double)h->edit_start_us / 1e6, e = (double)h->edit_end_us / 1e6;
        dynbuf_printf(b, "<tr class=\"highlight\" data-start=\"%.3f\" data-end=\"%.3f\"><td>%zu</td>"
                     "<td>%d:%02d-%d:%02d</td><td><b>",
                  s, e, i + 1, (int)s / 60, (int)s % 60, (int)e / 60, (int)e % 60);
        rb_text(b, h->title);
        dynbuf_printf(b, "</b> <span class=\"muted\">%.0f s, score %.2f</span><div class=\"chips\">",
                  e - s, h->score);
        part(b, "keyphrases", h->keyphrases);
        part(b, "question", h->question);
        part(b, "number", h->number);
        part(b, "list", h->list);
        part(b, "movement", h->movement);
        if (h->pause > 0)
            dynbuf_printf(b, "<span class=\"chip long-tail\">pauses -%.0f%%</span>", 100 * h->pause);
        dynbuf_adds(b, "</div></td>");
        /* the short, when the render made it (src/render/reframe.c) */
        snprintf(file, sizeof(file), "shorts/%02zu.mp4", i + 1);
        if (ave_job_output_path(d->job, file))
            dynbuf_printf(b, "<td><video class=\"short\" src=\"../%s\" controls preload=\"metadata\" "
                         "width=\"135\"></video><br><a href=\"../%s\">%s</a></td>",
                      file, file, file);
        dynbuf_adds(b, "</tr>\n");
    }
    dynbuf_adds(b, "</tbody></table></div>\n</section>\n");
}
