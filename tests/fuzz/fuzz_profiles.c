/* Fuzz target: performance_profiles.yaml. The text goes through the YAML
 * reader (profile_set_parse) and then, as a file, through
 * ave_settings_apply_profile for each profile it defines: inheritance
 * chains, cycles, option lookup and value checks (settings_assign). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ave/ave.h"
#include "config/config_internal.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    profile_set set;
    ave_settings *s = NULL;
    char err[512];
    int ret;

    fuzz_quiet();
    memset(&set, 0, sizeof(set));
    ret = profile_set_parse(&set, "fuzz.yaml", (const char *)data, size, err, sizeof(err));
    FUZZ_CHECK(ret == 0 || ret == AVE_ERR_USAGE || ret == AVE_ERR_NOMEM);
    FUZZ_CHECK(ret == 0 || err[0]); /* every refusal says why */
    for (size_t i = 0; ret == 0 && i < set.count; i++) {
        FUZZ_CHECK(set.items[i].name && set.items[i].name[0]);
        FUZZ_CHECK(profile_set_find(&set, set.items[i].name) == &set.items[i]);
        for (size_t j = 0; j < set.items[i].kv_count; j++)
            FUZZ_CHECK(set.items[i].kv[j].key && set.items[i].kv[j].value);
    }
    const char *path = ret == 0 ? fuzz_write_file("profiles", data, size) : NULL;
    if (path && ave_settings_new(&s) == 0) {
        /* name NULL checks the file only; then each profile (a few). */
        FUZZ_CHECK(ave_settings_apply_profile(s, path, NULL, err, sizeof(err)) == 0);
        for (size_t i = 0; i < set.count && i < 8; i++) {
            ret = ave_settings_apply_profile(s, path, set.items[i].name, err, sizeof(err));
            FUZZ_CHECK(ret == 0 || err[0]);
        }
        char list[1024];
        ret = ave_profiles_list(path, list, sizeof(list));
        FUZZ_CHECK(ret == 0 || ret == AVE_ERR_LIMIT);
    }
    ave_settings_free(s);
    profile_set_clear(&set);
    return 0;
}
