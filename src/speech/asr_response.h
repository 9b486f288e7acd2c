/* Parsing an OpenAI-compatible transcription response (verbose_json with
 * word timestamps). Pure function, unit-tested in test_asr_words.c. */
#ifndef AVE_SPEECH_ASR_RESPONSE_H
#define AVE_SPEECH_ASR_RESPONSE_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"

/* Parse body[0..len): words come from the top-level "words" array
 * ({"word","start","end"[,"probability"]}, times in seconds from the start of
 * the uploaded audio), or, when it is absent, from "segments"[].words (as
 * whisper.cpp and faster-whisper servers send them). Times are shifted by
 * offset_us; tokens are normalised and hesitations flagged as in
 * asr_words.h. Returns 0 with *words (malloc'd, caller frees) sorted, or
 * AVE_ERR_INPUT with a message in err when the body is not such JSON, or
 * AVE_ERR_NOMEM. A response with text but no word times is an error: the
 * editor cannot place words without them. */
int ave_asr_parse_response(const char *body, size_t len, int64_t offset_us, ave_word **words,
                           size_t *count, char *err, size_t errlen);

#endif
