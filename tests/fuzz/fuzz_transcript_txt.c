/* Fuzz target: an edited transcript.txt as `render` applies it
 * (ttxt_parse, ttxt_align against the words it was written from, and
 * edit_apply_words on the run's timeline). The words and timeline are a
 * fixed little talk (three lines, a cut filler, repeated words); the fuzzer
 * writes the edit. Whatever the text, the alignment must say keep or cut
 * for every word and the edited timeline must stay whole. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "edit/edit.h"
#include "fuzz.h"
#include "core/transcript_align.h"
#include "core/transcript_txt.h"

#define CF (AVE_WORD_CUT | AVE_WORD_FILLER)
#define WI(t, a, b, f)                                                                             \
    {                                                                                              \
        (a) * 1000LL, (b)*1000LL, t, 0.9f, 0, f                                                    \
    }

static const ave_word words[] = {
    WI("the", 1000, 1120, 0),   WI("quick", 1120, 1400, 0), WI("brown", 1400, 1700, 0),
    WI("fox", 1700, 2100, 0),   WI("um", 2400, 2900, CF),   WI("jumps", 3000, 3400, 0),
    WI("the", 5100, 5300, 0),   WI("fox", 5300, 5600, 0),   WI("takes", 6000, 6300, 0),
    WI("time", 6350, 6800, 0),  WI("the", 8000, 8200, 0),   WI("the", 8200, 8400, 0),
    WI("fox's", 8750, 8900, 0), WI("work", 8950, 9400, 0),
};
#define NW (sizeof(words) / sizeof(words[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const edit_grid grid = {1, 30};
    ttxt_doc doc;
    ttxt_align_result res;
    ave_timeline tl;
    edit_stats st;
    int ret;

    fuzz_quiet();
    if (ttxt_parse((const char *)data, size, &doc) < 0)
        return 0; /* out of memory: nothing else may fail */
    for (size_t i = 0; i < doc.token_count; i++) {
        FUZZ_CHECK(doc.tokens[i].key[0] && doc.tokens[i].line < doc.line_count);
        FUZZ_CHECK(memchr(doc.tokens[i].text, '\0', sizeof(doc.tokens[i].text)) != NULL);
    }
    for (size_t i = 0; i < doc.line_count; i++) {
        FUZZ_CHECK(doc.lines[i].first_token + doc.lines[i].token_count <= doc.token_count);
        FUZZ_CHECK(doc.lines[i].time_us >= -1);
    }
    ret = ttxt_align(words, NW, &doc, &res);
    FUZZ_CHECK(ret == 0 || ret == AVE_ERR_LIMIT || ret == AVE_ERR_NOMEM);
    if (ret == 0) {
        for (size_t i = 0; i < NW; i++)
            FUZZ_CHECK(res.keep[i] <= 1);
        for (size_t i = 0; i < res.unmatched_count; i++)
            FUZZ_CHECK(res.unmatched[i] < doc.token_count);
        FUZZ_CHECK(res.anchored_lines <= doc.line_count);
        memset(&tl, 0, sizeof(tl));
        if (ave_timeline_init(&tl, 11000000) == 0) {
            ave_timeline_cut(&tl, 0, 900000, AVE_REASON_SILENCE);
            ave_timeline_cut(&tl, 2400000, 2900000, AVE_REASON_FILLER);
            ave_timeline_cut(&tl, 3600000, 4900000, AVE_REASON_SILENCE);
            ave_timeline_cut(&tl, 9600000, 11000000, AVE_REASON_SILENCE);
            ret = edit_apply_words(&tl, words, NW, res.keep, &grid, &st);
            FUZZ_CHECK(ret == 0 || ret == AVE_ERR_NOMEM);
            fuzz_check_timeline(&tl);
            FUZZ_CHECK(st.words_cut + st.words_restored <= NW);
        }
        ave_timeline_free(&tl);
        ttxt_align_free(&res);
    }
    ttxt_doc_free(&doc);
    return 0;
}
