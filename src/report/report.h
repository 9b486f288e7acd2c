/* The "report" stage's internals: analytics/report.html, one page a person
 * reads after a run (docs/REPORT.md). Shared by the files of src/report only.
 *
 * The page is built in memory: report_data.c gathers what the run produced
 * (the job's analysis and timeline, the final metrics, the JSON outputs of
 * earlier stages), each report_<section>.c appends one section, and
 * report_stage.c writes the result through the atomic output staging.
 * Every number a test compares is written twice: visibly, rounded for
 * people, and exactly in a data-value attribute (report_buf.c). */
#ifndef AVE_REPORT_REPORT_H
#define AVE_REPORT_REPORT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "ave/ave.h"
#include "core/dynbuf.h"

#define REPORT_STAGE "report"

/* --- report_buf.c: the page's text ---------------------------------------- */

/* The page is built in a dynbuf (core/dynbuf.h) capped at the stage's limit:
 * section writers append markup with dynbuf_adds/dynbuf_printf and the
 * helpers below freely, and the stage checks err once. */
/* Text from the run (words, titles, paths), escaped for element content and
 * for quoted attribute values alike. NULL writes nothing. */
void rb_text(dynbuf *b, const char *s);
/* An exact number for a data-value attribute: %.9g, "" when not finite. */
void rb_num(dynbuf *b, double v);
/* "1:05.3"-style time for people: m:ss(.d) or h:mm:ss. */
void rb_clock(dynbuf *b, double seconds, int decimals);

/* --- report_data.c: what the run produced ---------------------------------- */

typedef struct report_strip {
    float *peak;    /* per column: max |sample|, 0..1 */
    float *level;   /* per column: RMS level of a 400 ms window around it, dBFS */
    size_t columns; /* 0 when there is no analysis audio */
} report_strip;

/* Loudness over time of one file (report_lcurve.c): EBU R128 momentary
 * (400 ms) and short-term (3 s) loudness in LUFS every step_s seconds of the
 * file, -70 where the audio is below the absolute gate. */
typedef struct report_lcurve {
    float *momentary, *shortterm; /* count each, malloc'd */
    size_t count;
    double step_s;
} report_lcurve;

/* Measure the audio of the file at path (duration_s sets the step: at most
 * 3000 points). Returns 0, AVE_ERR_INPUT (no audio, unreadable: c empty) or
 * AVE_ERR_NOMEM. Free with report_lcurve_free. */
int report_lcurve_measure(const char *path, double duration_s, report_lcurve *c);
void report_lcurve_free(report_lcurve *c);

typedef struct report_data {
    const ave_job *job; /* borrowed */
    cJSON *metrics;     /* the metrics as performance_metrics.json will hold them */
    cJSON *thumbs;      /* thumbnails/thumbnails.json, NULL when not written */
    cJSON *meta;        /* metadata/metadata.json, NULL when not written */
    report_strip strip;
    double input_s; /* the timeline's duration (seconds) */
    report_lcurve loud_in, loud_out; /* the input's audio and the edited result's */
} report_data;

/* Gather everything (d is zeroed first; free with report_data_free even on
 * failure). Missing outputs are not errors: their sections say so. */
int report_gather(ave_job *job, report_data *d);
void report_data_free(report_data *d);

/* A number from the metrics (section NULL: top level); NAN when absent or
 * null. */
double report_metric(const report_data *d, const char *section, const char *key);
/* The metrics' stage_status entry ("ok", "cached", "disabled", ...) or NULL
 * when the stage is not registered in this build. */
const char *report_stage_status(const report_data *d, const char *stage);
/* 1 when the stage ran (or was loaded from the cache). */
int report_stage_ran(const report_data *d, const char *stage);
/* A string member of obj, or NULL. */
const char *report_json_str(const cJSON *obj, const char *key);
/* A number member of obj, or NAN. */
double report_json_num(const cJSON *obj, const char *key);

/* analytics/waveform.json (report_wave.c): the strip's columns written
 * beside the page, and read back by a run without analysis audio (render).
 * Load leaves s empty when there is no usable file; both return 0 or an
 * AVE_ERR_* code. */
int report_wave_save(ave_job *job, const report_strip *s, double input_s);
int report_wave_load(const ave_job *job, double input_s, report_strip *s);

/* --- sections (one file each) ---------------------------------------------- */

/* Writes "<p class=missing>" explaining why a section is empty: the stage's
 * status from the metrics ("disabled", "skipped: no audio stream", ...). */
void report_missing(dynbuf *b, const report_data *d, const char *stage, const char *what);

void report_page_begin(dynbuf *b, const report_data *d); /* report_page.c */
void report_page_end(dynbuf *b);
void report_summary(dynbuf *b, const report_data *d);   /* report_summary.c */
void report_timeline(dynbuf *b, const report_data *d);  /* report_summary.c */
void report_strip_svg(dynbuf *b, const report_data *d); /* report_strip.c */
void report_loudness(dynbuf *b, const report_data *d);  /* report_loudness.c */
/* Loudness over time (SVG): input above, result below, target and noise
 * floors as lines (report_lplot.c). Nothing when neither was measured. */
void report_loudness_plot(dynbuf *b, const report_data *d);
void report_transcript(dynbuf *b, const report_data *d);  /* report_transcript.c */
void report_thumbnails(dynbuf *b, const report_data *d);  /* report_publish.c */
void report_metadata(dynbuf *b, const report_data *d);    /* report_publish.c */
void report_highlights(dynbuf *b, const report_data *d);  /* report_highlights.c */
void report_performance(dynbuf *b, const report_data *d); /* report_perf.c */
/* "Resources over time": stage timeline with memory and CPU samples (SVG). */
void report_resources(dynbuf *b, const report_data *d);
void report_fix(dynbuf *b, const report_data *d);         /* report_fix.c */
/* "Edit": the editor (report_editor.c) and its script (report_editor_js.c). */
void report_editor(dynbuf *b, const report_data *d);
extern const char report_editor_script[];

/* Cut reasons are coloured by CSS class "r-<ave_reason_name>" (report_page.c). */

#endif
