/* Fuzz target: the body an OpenAI-compatible transcription server sends
 * back (ave_asr_parse_response, used by src/speech/asr_http.c). Accepted
 * words must be sorted, inside the chunk's time and NUL-terminated. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "fuzz.h"
#include "speech/asr_response.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A later chunk of a long recording: times are shifted by the offset. */
    const int64_t offset = size % 2 ? 0 : 3600000000LL;
    ave_word *w = NULL;
    size_t n = 0;
    char err[256];
    int ret;

    fuzz_quiet();
    ret = ave_asr_parse_response((const char *)data, size, offset, &w, &n, err, sizeof(err));
    FUZZ_CHECK(ret == 0 || ret == AVE_ERR_INPUT || ret == AVE_ERR_NOMEM);
    FUZZ_CHECK(ret == 0 || (err[0] && !w && !n));
    for (size_t i = 0; ret == 0 && i < n; i++) {
        FUZZ_CHECK(w[i].start_us >= offset && w[i].end_us >= w[i].start_us);
        FUZZ_CHECK(memchr(w[i].text, '\0', sizeof(w[i].text)) != NULL);
        FUZZ_CHECK(i == 0 || w[i - 1].start_us <= w[i].start_us);
    }
    free(w);
    return 0;
}
