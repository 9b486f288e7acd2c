/* "Did you mean" hints for unknown option names: the known name with the
 * smallest edit distance, if it is close enough to be a typo.
 *
 * Names are short (under 64 characters), so a two-row Levenshtein table on
 * the stack is plenty; '_' counts as '-' so env/profile spellings compare
 * fairly. */
#include <string.h>

#include "ave/stage.h"
#include "config_internal.h"

#define NAME_MAX_LEN 64

static char norm(char c)
{
    return c == '_' ? '-' : c;
}

/* Edit distance between a and b, or a large number if either is too long. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t prev[NAME_MAX_LEN + 1], cur[NAME_MAX_LEN + 1];

    if (la > NAME_MAX_LEN || lb > NAME_MAX_LEN)
        return (size_t)-1;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (norm(a[i - 1]) != norm(b[j - 1]));
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            size_t best = sub < del ? sub : del;
            cur[j] = best < ins ? best : ins;
        }
        memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
    }
    return prev[lb];
}

static void consider(const ave_option *table, const char *name, const char **best,
                     size_t *best_d)
{
    for (const ave_option *o = table; o && o->name; o++) {
        size_t d = edit_distance(name, o->name);
        if (d < *best_d) {
            *best_d = d;
            *best = o->name;
        }
    }
}

const char *settings_suggest(const ave_settings *s, const char *name)
{
    const char *best = NULL, *dot = strchr(name, '.');
    size_t best_d = (size_t)-1, count = 0;
    const ave_stage *const *stages = ave_settings_stages(s, &count);

    if (dot)
        name = dot + 1; /* "render.crosfade-ms": suggest the option part */
    consider(ave_config_options(), name, &best, &best_d);
    for (size_t i = 0; i < count; i++)
        consider(stages[i]->options, name, &best, &best_d);
    /* One typo per four characters or so, at most three. */
    size_t len = strlen(name), limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    return best && best_d <= limit ? best : NULL;
}
