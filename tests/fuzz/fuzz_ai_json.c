/* Fuzz target: a chat-completions answer from the AI service
 * (ai_parse_response): the envelope, the JSON object inside the message
 * content (fenced or not) and its titles and summary. An accepted answer
 * must fill every title and the summary within their limits, and the token
 * count that prices the call must stay a finite, non-negative number. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "content/ai.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const ave_keyphrase kp[2] = {{"video editing", 1.0f, 4, 1.0f}, {"silence", 0.5f, 2, 1.0f}};
    meta_package m;
    ai_stats st;
    char why[256], *resp = fuzz_cstr(data, size);
    int ret;

    if (!resp)
        return 0;
    fuzz_quiet();
    memset(&m, 0, sizeof(m));
    memset(&st, 0, sizeof(st));
    ret = ai_parse_response(resp, kp, 2, &m, &st, why, sizeof(why));
    FUZZ_CHECK(ret == 0 || (ret == AVE_ERR_INPUT && why[0]));
    FUZZ_CHECK(isfinite(st.tokens) && st.tokens >= 0);
    if (ret == 0) {
        for (int s = 0; s < META_STRATEGY_COUNT; s++) {
            size_t len = strnlen(m.titles[s].text, sizeof(m.titles[s].text));
            FUZZ_CHECK(len >= 20 && len < sizeof(m.titles[s].text));
            FUZZ_CHECK(m.titles[s].score >= 0 && m.titles[s].score <= 100);
        }
        FUZZ_CHECK(strnlen(m.summary, sizeof(m.summary)) < sizeof(m.summary));
    }
    free(resp);
    return 0;
}
