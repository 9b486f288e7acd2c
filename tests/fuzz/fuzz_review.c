/* Fuzz target: the review server's request handlers (ave/review.h), the
 * parts that read what a browser sends: the raw request path
 * (ave_review_resolve), the Range header (ave_review_range) and the body of
 * a save (ave_review_apply_save, with transcript.json also fuzzed, since a
 * person may edit it by hand). The first byte picks the handler, the rest is
 * its input, so the seeds stay readable text after one letter.
 *
 * Promises checked: a resolved path never leaves the folder (no "..", "."
 * or hidden segment, no leading or doubled '/', no backslash or control
 * byte) and decodes to the same bytes when re-encoded; a range lies inside
 * the file; a save that succeeds gives a timeline.json whose segments are in
 * order inside the recording and a transcript.txt that parses; one that
 * fails says why and leaves nothing. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ave/ave.h"
#include "ave/review.h"
#include "core/transcript_txt.h"
#include "fuzz.h"

static const char timeline[] =
    "{\"version\":1,\"input\":\"talk.mp4\",\"source_duration\":9.067,\"segments\":["
    "{\"start\":0,\"end\":3.1,\"action\":\"keep\",\"reason\":\"keep\"},"
    "{\"start\":3.1,\"end\":4.266667,\"action\":\"cut\",\"reason\":\"silence\"},"
    "{\"start\":4.266667,\"end\":9.067,\"action\":\"keep\",\"reason\":\"keep\"}]}";
static const char transcript[] =
    "{\"words\":[{\"text\":\"today\",\"start\":0.3,\"end\":0.6,\"cut\":false},"
    "{\"text\":\"we\",\"start\":0.6,\"end\":0.8},{\"text\":\"[hesitation]\",\"start\":4.42,"
    "\"end\":4.76,\"acoustic\":true,\"suggested\":true},{\"text\":\"sunlight\",\"start\":4.8,"
    "\"end\":5.2,\"cut\":true}]}";
static const char body[] =
    "{\"base\":\"v1\",\"segments\":[{\"start\":0,\"end\":1,\"action\":\"cut\",\"reason\":"
    "\"manual\"},{\"start\":1,\"end\":9.067,\"action\":\"keep\",\"reason\":\"keep\"}],"
    "\"words\":[{\"i\":1,\"text\":\"wee\"}]}";

static void check_resolve(const char *url)
{
    char rel[256];
    int r = ave_review_resolve(url, rel, sizeof(rel));
    FUZZ_CHECK(r == 0 || r == AVE_ERR_INPUT);
    if (r < 0)
        return;
    FUZZ_CHECK(rel[0] != '/' && !strstr(rel, "//") && !strchr(rel, '\\'));
    for (const unsigned char *p = (const unsigned char *)rel; *p; p++)
        FUZZ_CHECK(*p >= 0x20 && *p != 0x7f);
    /* Every segment: not empty, not hidden, "." or "..". */
    for (const char *s = rel; *s;) {
        FUZZ_CHECK(*s != '.' && *s != '/');
        const char *e = strchr(s, '/');
        if (!e)
            break;
        s = e + 1;
        FUZZ_CHECK(*s != '\0');
    }
}

static void check_range(const char *h, uint64_t size)
{
    uint64_t a = 0, z = 0;
    int r = ave_review_range(h, size, &a, &z);
    FUZZ_CHECK(r == 0 || r == 1 || r == AVE_ERR_INPUT);
    if (r == 1)
        FUZZ_CHECK(a <= z && z < size);
}

static void check_save(const char *tl, const char *tr, const char *b)
{
    ave_review_save sv;
    char err[512];
    int r = ave_review_apply_save(tl, strlen(tl), tr, strlen(tr), "v1", b, strlen(b), &sv, err,
                                  sizeof(err));
    FUZZ_CHECK(r == 0 || r == AVE_ERR_USAGE || r == AVE_ERR_INPUT || r == AVE_ERR_NOMEM);
    if (r < 0) {
        FUZZ_CHECK(sv.timeline_json == NULL && sv.transcript_txt == NULL);
        FUZZ_CHECK(r == AVE_ERR_NOMEM || err[0]);
        return;
    }
    cJSON *o = cJSON_Parse(sv.timeline_json);
    FUZZ_CHECK(o != NULL);
    double dur = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, "source_duration"));
    const cJSON *s, *segs = cJSON_GetObjectItemCaseSensitive(o, "segments");
    double prev = 0;
    FUZZ_CHECK(cJSON_IsArray(segs) && cJSON_GetArraySize(segs) > 0);
    cJSON_ArrayForEach(s, segs)
    {
        double a = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(s, "start"));
        double z = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(s, "end"));
        FUZZ_CHECK(isfinite(a) && isfinite(z) && a >= 0 && z > a - 1e-9 && z <= dur + 1e-9);
        FUZZ_CHECK(a >= prev - 0.0011);
        prev = z;
    }
    cJSON_Delete(o);
    ttxt_doc doc;
    int pr = ttxt_parse(sv.transcript_txt, sv.transcript_len, &doc);
    FUZZ_CHECK(pr == 0 || pr == AVE_ERR_NOMEM);
    if (pr == 0)
        ttxt_doc_free(&doc);
    ave_review_save_free(&sv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s;
    if (size < 1 || !(s = fuzz_cstr(data + 1, size - 1)))
        return 0;
    fuzz_quiet();
    switch (data[0] % 4) {
    case 0:
        check_resolve(s);
        break;
    case 1:
        check_range(s, 1000);
        check_range(s, 0);
        check_range(s, UINT64_MAX);
        break;
    case 2:
        check_save(timeline, transcript, s);
        break;
    default:
        check_save(timeline, s, body);
        break;
    }
    free(s);
    return 0;
}
