/* Fuzz target: transcript.json as `render` reads it back from an output
 * folder (edit_transcript_parse): the words, their cut flags and the engine
 * name. Words that parse must be sorted and have sane times and text; then
 * every other word changes state (edit_apply_words, as a transcript.txt
 * edit would do) on a 60 s timeline with cuts, which must stay whole
 * whatever times the words claim. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "edit/edit.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[160], engine[32], *json = fuzz_cstr(data, size);
    ave_word *w = NULL;
    size_t n = 0;
    int ret;

    if (!json)
        return 0;
    fuzz_quiet();
    ret = edit_transcript_parse(json, &w, &n, engine, sizeof(engine), err, sizeof(err));
    FUZZ_CHECK(ret == 0 || ret == AVE_ERR_INPUT || ret == AVE_ERR_NOMEM);
    FUZZ_CHECK(ret == 0 || (err[0] && w == NULL && n == 0));
    if (ret == 0) {
        FUZZ_CHECK(memchr(engine, '\0', sizeof(engine)) != NULL);
        FUZZ_CHECK((n == 0) == (w == NULL));
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(w[i].start_us >= 0 && w[i].end_us >= w[i].start_us);
            FUZZ_CHECK(memchr(w[i].text, '\0', sizeof(w[i].text)) != NULL);
            FUZZ_CHECK(i == 0 || w[i - 1].start_us <= w[i].start_us);
        }
    }
    if (ret == 0 && n) {
        static const edit_grid grid = {1001, 30000};
        unsigned char *keep = malloc(n);
        ave_timeline tl;
        edit_stats st;
        memset(&tl, 0, sizeof(tl));
        if (keep && ave_timeline_init(&tl, 60000000) == 0) {
            for (size_t i = 0; i < n; i++)
                keep[i] = !(w[i].flags & AVE_WORD_CUT) ^ (i & 1);
            ave_timeline_cut(&tl, 0, 500000, AVE_REASON_SILENCE);
            ave_timeline_cut(&tl, 2400000, 2900000, AVE_REASON_FILLER);
            ave_timeline_cut(&tl, 30000000, 31000000, AVE_REASON_STUTTER);
            ret = edit_apply_words(&tl, w, n, keep, &grid, &st);
            FUZZ_CHECK(ret == 0 || ret == AVE_ERR_NOMEM);
            fuzz_check_timeline(&tl);
        }
        ave_timeline_free(&tl);
        free(keep);
    }
    free(w);
    free(json);
    return 0;
}
