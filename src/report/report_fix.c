/* The "Fix the edit" section: which file to change and the one command that
 * re-renders from it (`ai-video-editor render OUTPUT_DIR`, docs/EDITING.md).
 * It names only files this run wrote (transcript.txt when there was speech,
 * timeline.json when there was a plan) and quotes the output folder for the
 * shell, so the command can be pasted as it is. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"

/* out_dir in single quotes when it has anything a shell would interpret. */
static void shell_word(dynbuf *b, const char *s)
{
    if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+,:@") ==
                  strlen(s)) {
        rb_text(b, s);
        return;
    }
    dynbuf_adds(b, "&#39;");
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            dynbuf_adds(b, "&#39;\\&#39;&#39;");
        else {
            char c[2] = {*p, 0};
            rb_text(b, c);
        }
    }
    dynbuf_adds(b, "&#39;");
}

static int have(const ave_job *job, const char *relpath)
{
    return ave_job_output_path(job, relpath) != NULL;
}

void report_fix(dynbuf *b, const report_data *d)
{
    const ave_job *job = d->job;
    int txt = have(job, "transcript.txt"), tl = have(job, "timeline.json");
    dynbuf_adds(b, "<section class=\"card\" id=\"fix\">\n<h2>Fix the edit</h2>\n");
    dynbuf_adds(
        b,
        "<p class=\"lead\">Something cut that should stay, or a stumble left in? Change the "
        "edit in a text editor and re-render: no analysis runs again.</p>\n<ol class=\"steps\">\n");
    if (txt)
        dynbuf_adds(b,
                    "<li id=\"fix-transcript\">Open <code>transcript.txt</code> in this output "
                    "folder. Each line is a sentence and starts with the time it is spoken, "
                    "<code>[00:00:06.245]</code>; keep those times.<ul>"
                    "<li><b>Cut</b>: delete words or whole lines, or wrap them in "
                    "<code>[brackets]</code>.</li>"
                    "<li><b>Put back</b>: words the edit cut are shown in <code>[brackets]</code>; "
                    "remove the brackets.</li></ul></li>\n");
    if (tl)
        dynbuf_printf(b,
                      "<li id=\"fix-timeline\">%s <code>timeline.json</code>: every segment has a "
                      "<code>start</code>, an <code>end</code> (seconds in the input) and an "
                      "<code>action</code>, <code>\"keep\"</code> or <code>\"cut\"</code>; change "
                      "the action or move the times.</li>\n",
                      txt ? "Or, for exact times, edit" : "Edit");
    if (!txt && !tl)
        dynbuf_adds(b, "<li>This run wrote neither <code>transcript.txt</code> nor "
                       "<code>timeline.json</code>, so there is nothing to edit yet: run "
                       "<code>ai-video-editor process</code> with the plan stage enabled.</li>\n");
    dynbuf_adds(b, "<li>Re-render the folder:<div class=\"cmd\"><code id=\"render-command\">"
                   "ai-video-editor render ");
    shell_word(b, job->output_dir);
    dynbuf_adds(b, "</code><button class=\"copy\" type=\"button\" data-copy=\"render-command\">Copy"
                   "</button></div>");
    double rt = report_metric(d, "module_processing_times", "render");
    double et = report_metric(d, "module_processing_times", "enhance");
    if (isfinite(rt))
        dynbuf_printf(b, "It takes about as long as rendering did in this run (%.0f s).",
                      rt + (isfinite(et) ? et : 0));
    dynbuf_adds(b, " The edited video and subtitles are rewritten; your earlier files are "
                   "replaced only when the render succeeds.</li>\n</ol>\n</section>\n");
}
