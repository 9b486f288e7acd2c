/* Fuzz target: timeline.json as `render` reads it back from an output
 * folder, perhaps edited by hand (edit_timeline_parse). The frame grid and
 * the probed duration vary with the input's size so the seeds stay plain
 * JSON. A timeline that parses must be whole, and must come back unchanged
 * through the writer (ave_timeline_json) and the reader again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "edit/edit.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const edit_grid grids[4] = {{0, 0}, {1001, 30000}, {1, 25}, {1, 24}};
    static const int64_t durations[2] = {60000000, 3600000000LL};
    const edit_grid *g = &grids[size % 4];
    int64_t duration = durations[(size / 4) % 2];
    edit_source src;
    edit_snap_stats snap;
    ave_timeline tl, again;
    char err[160], *json = fuzz_cstr(data, size), *text = NULL;
    int ret;

    if (!json)
        return 0;
    fuzz_quiet();
    ret = edit_timeline_parse(json, duration, g, &tl, &src, &snap, err, sizeof(err));
    FUZZ_CHECK(ret == 0 || ret == AVE_ERR_INPUT || ret == AVE_ERR_NOMEM);
    if (ret < 0) {
        FUZZ_CHECK(err[0] && tl.segs == NULL);
        goto out;
    }
    FUZZ_CHECK(tl.duration_us == duration);
    fuzz_check_timeline(&tl);
    if (!(text = ave_timeline_json(&tl, "in.mp4", "0123456789abcdef")))
        goto out;
    ret = edit_timeline_parse(text, duration, &grids[0], &again, &src, &snap, err, sizeof(err));
    FUZZ_CHECK(ret == 0 || ret == AVE_ERR_NOMEM);
    if (ret == 0) {
        FUZZ_CHECK(src.duration_us == duration);
        FUZZ_CHECK(!strcmp(src.fingerprint, "0123456789abcdef"));
        FUZZ_CHECK(again.count == tl.count);
        for (size_t i = 0; i < tl.count; i++)
            FUZZ_CHECK(!memcmp(&again.segs[i], &tl.segs[i], sizeof(tl.segs[i])));
        ave_timeline_free(&again);
    }
out:
    ave_timeline_free(&tl);
    free(text);
    free(json);
    return 0;
}
