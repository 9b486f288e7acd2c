/* The review editor's server (`ai-video-editor review OUTPUT_DIR`, docs/REVIEW.md).
 *
 * It serves one finished output folder to a browser on this machine only:
 * the folder's analytics/report.html (whose "Edit" section is the editor),
 * the recorded input under media/<its file name> with HTTP range requests,
 * the folder's own files, and a small JSON API to save the edit
 * (timeline.json + transcript.txt, atomically) and to re-render it. Every
 * request must carry the random token of the URL (query `token=` or the
 * cookie the first request sets). The HTTP parsing is libmicrohttpd's.
 *
 * The request helpers below are pure functions, so they are unit-tested and
 * fuzzed (tests/fuzz/fuzz_review.c) without a socket. */
#ifndef AVE_REVIEW_H
#define AVE_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Re-render OUTPUT_DIR the way `ai-video-editor render OUTPUT_DIR` does,
 * reporting through cb (progress, cancel flag). Supplied by the host, which
 * owns the settings and the stage list of its render command. Returns 0 or an
 * AVE_ERR_* code with one line in err. Called on the server's render thread,
 * one call at a time. */
typedef int (*ave_review_render_fn)(void *opaque, const char *output_dir,
                                    const ave_job_callbacks *cb, char *err, size_t errlen);

typedef struct ave_review_config {
    const char *output_dir;      /* borrowed; must hold timeline.json */
    const char *input;           /* the recording; NULL: the one timeline.json names */
    int port;                    /* 0: a free port chosen by the system */
    size_t max_body;             /* largest request body accepted (0: AVE_REVIEW_MAX_BODY) */
    ave_review_render_fn render; /* NULL: rendering answers 501 */
    void *render_opaque;
} ave_review_config;

#define AVE_REVIEW_MAX_BODY ((size_t)16 << 20)

typedef struct ave_review ave_review;

/* Start serving on 127.0.0.1 (threads of libmicrohttpd and, while a render
 * runs, one render thread). *out is set on success; on failure it is NULL
 * and err holds one line. Returns 0, AVE_ERR_INPUT (not an output folder:
 * no timeline.json, input not found), AVE_ERR_IO (cannot listen) or
 * AVE_ERR_NOMEM. */
int ave_review_start(ave_review **out, const ave_review_config *cfg, char *err, size_t errlen);

/* "http://127.0.0.1:PORT/?token=..." (borrowed, valid until ave_review_stop). */
const char *ave_review_url(const ave_review *rv);

/* Stop serving: cancels a running render and waits for it. NULL is fine. */
void ave_review_stop(ave_review *rv);

/* --- request helpers (pure) ------------------------------------------------ */

/* Map the raw (still percent-encoded) path of a request URL to a path
 * relative to the output folder, into rel (NUL-terminated). Refused with
 * AVE_ERR_INPUT: a path not starting with '/', any segment that is empty
 * (except a trailing slash), ".", ".." or starts with '.' (hidden files such
 * as .ave-outputs.json), an encoded '/', '\\' or NUL, a bad escape, control
 * bytes, a query part (the caller strips it), or a result that does not fit
 * rellen. "/" gives "". Symbolic links are checked by the server after this
 * (the file's real path must stay inside the folder). */
int ave_review_resolve(const char *url_path, char *rel, size_t rellen);

/* Parse a Range header for a file of size bytes. Returns 1 with the one
 * satisfiable byte range in *first..*last (inclusive), 0 when the header is
 * absent or not a single "bytes=" range we serve (send the whole file), or
 * AVE_ERR_INPUT when the range cannot be satisfied (416). */
int ave_review_range(const char *header, uint64_t size, uint64_t *first, uint64_t *last);

/* What a save produces: both files' new contents (malloc'd, NUL-terminated;
 * free with ave_review_save_free). */
typedef struct ave_review_save {
    char *timeline_json;
    char *transcript_txt;
    size_t timeline_len, transcript_len;
    size_t corrected; /* words whose text the body changed */
} ave_review_save;

/* Apply a save request body to the folder's current files:
 *   {"base": "<etag>", "segments": [{"start", "end", "action", "reason",
 *    ["confidence", "text"]}...], "words": [{"i": N, "text": "word"}...]}
 * base must equal etag (the version of timeline.json the page edited), else
 * AVE_ERR_USAGE with "stale" in err. The segments must be finite, ordered,
 * non-overlapping, inside the recording, at most 1 M; actions keep, cut or
 * suggest; reasons the timeline's names. Words index transcript.json's words;
 * a correction is one word (no spaces or brackets, 1..47 bytes). The new
 * timeline.json is the current one with "segments" replaced (and the derived
 * "kept", "removed", "edited_duration" dropped: render writes them again);
 * transcript.txt is written from transcript.json's words with the
 * corrections, the brackets as transcript.json's "cut" flags have them (so
 * render applies the page's cuts exactly, from timeline.json, and only the
 * corrections from the text; render then writes both files anew).
 * Returns 0, AVE_ERR_USAGE (the body is wrong or stale: err says why),
 * AVE_ERR_INPUT (the folder's own files are unreadable) or AVE_ERR_NOMEM;
 * out is empty on failure. */
int ave_review_apply_save(const char *timeline_json, size_t timeline_len,
                          const char *transcript_json, size_t transcript_len, const char *etag,
                          const char *body, size_t body_len, ave_review_save *out, char *err,
                          size_t errlen);
void ave_review_save_free(ave_review_save *s);

/* The version tag of a file's contents (16 hex digits of a 64-bit FNV-1a
 * hash, NUL-terminated into tag[17]). */
void ave_review_etag(const char *data, size_t len, char tag[17]);

#ifdef __cplusplus
}
#endif
#endif
