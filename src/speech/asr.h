/* The speech recogniser interface: a small vtable, like curl's client
 * writers, so the speech stage can swap the embedded PocketSphinx decoder for
 * an HTTP service (or a later engine) without knowing which one runs.
 *
 * An engine turns one chunk of mono 16-bit audio into words with times on the
 * source timeline. Engines never touch the job: they may run on worker
 * threads, so errors come back as a code plus a one-line message in err, and
 * the stage records them on the job. */
#ifndef AVE_SPEECH_ASR_H
#define AVE_SPEECH_ASR_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"

typedef struct ave_asr_config {
    const char *model_dir; /* pocketsphinx: folder holding en-us/, en-us.lm.bin and
                              cmudict-en-us.dict; NULL: Debian's default */
    const char *url;       /* http: base URL, e.g. "http://127.0.0.1:8080" (the engine
                              appends /v1/audio/transcriptions unless the URL already
                              ends with /audio/transcriptions) */
    const char *api_key;   /* http: Bearer token or NULL; never logged or stored */
    const char *model;     /* http: model name sent with the request */
    const char *language;  /* ISO 639-1, e.g. "en" */
    double timeout_s;      /* http: whole-request limit; 0: none */
} ave_asr_config;

typedef struct ave_asr_engine {
    const char *name; /* "pocketsphinx", "http" */
    /* Non-NULL: each transcribe call is a billable API call, counted by the
     * stage under this service name. */
    const char *api_service;
    /* 1 when separate states may transcribe concurrently on different
     * threads (one state per thread; a state is never shared). */
    int parallel;
    /* Chunking the stage applies before calling transcribe: chunks are speech
     * regions (the complement of the detected pauses); regions closer than
     * merge_gap_s are sent as one chunk, and chunks longer than max_chunk_s
     * are split at the quietest moment in their last third. */
    double max_chunk_s;
    double merge_gap_s;
    /* 1: ignore the pauses and send the whole audio (split only by
     * max_chunk_s), for services that find speech themselves; word times
     * then count from the file's start. */
    int whole_file;

    /* Create a state. On failure returns an AVE_ERR_* code with a message in
     * err; *state is then NULL (close is not needed). cfg is borrowed for the
     * call only. */
    int (*open)(void **state, const ave_asr_config *cfg, char *err, size_t errlen);
    /* Recognise pcm[0..n) at `rate` Hz, whose first sample is at offset_us on
     * the source timeline. On success *words (malloc'd, caller frees; NULL when
     * *count is 0) holds the words in time order with absolute times,
     * lower-case text and AVE_WORD_FILLER set on hesitations. The engine
     * polls *stop (may be NULL) at least every few tenths of a second and
     * returns AVE_ERR_CANCELLED soon after it becomes non-zero, so a timeout
     * or Ctrl-C never waits for a long chunk to finish. */
    int (*transcribe)(void *state, const int16_t *pcm, size_t n, int rate, int64_t offset_us,
                      const atomic_int *stop, ave_word **words, size_t *count, char *err,
                      size_t errlen);
    /* Free a state; NULL is fine. */
    void (*close)(void *state);
} ave_asr_engine;

extern const ave_asr_engine ave_asr_pocketsphinx;
extern const ave_asr_engine ave_asr_http;

#endif
