/* ave_settings: the global configuration plus one options struct per
 * registered stage, each value tagged with where it came from.
 *
 * Precedence (defaults < profile < environment < flags) is enforced here,
 * not by call order: a value is stored only when its source is not below the
 * source of the current one, and lower-ranked values are still validated.
 * So the CLI may read its flags first (to learn --profile) and apply the
 * profile afterwards. Names resolve global table first, then each stage's
 * table in pipeline order; "stage.name" addresses one stage explicitly. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "ave/stage.h"
#include "config_internal.h"

/* One options table with its storage; slot 0 is the global configuration. */
typedef struct settings_slot {
    const char *owner; /* NULL or stage name */
    const ave_option *table;
    void *target;
    unsigned char *source; /* one enum ave_source per table entry */
    size_t count;
} settings_slot;

struct ave_settings {
    settings_slot *slots;
    size_t slot_count;
    const ave_stage *const *stages; /* borrowed, pipeline order */
    size_t stage_count;
};

/* The original tool's spellings, accepted in profiles and the environment
 * (not as flags: the CLI documents only the current names). */
static const struct {
    const char *alias, *name;
} option_aliases[] = {
    {"max-memory-gb", "max-memory"},
    /* The original tool's performance guide names it so. */
    {"enable-gpu", "enable-gpu-acceleration"},
};

/* name equals alias with '_' and '-' interchangeable. */
static int alias_matches(const char *alias, const char *name)
{
    for (; *alias && *name; alias++, name++)
        if (*alias != (*name == '_' ? '-' : *name))
            return 0;
    return *alias == *name;
}

static size_t table_length(const ave_option *table)
{
    size_t n = 0;
    while (table && table[n].name)
        n++;
    return n;
}

static int slot_init(settings_slot *slot, const char *owner, const ave_option *table,
                     size_t size)
{
    slot->owner = owner;
    slot->table = table;
    slot->count = table_length(table);
    slot->target = calloc(1, size ? size : 1);
    slot->source = calloc(slot->count ? slot->count : 1, 1);
    if (!slot->target || !slot->source)
        return AVE_ERR_NOMEM;
    return ave_options_set_defaults(table, slot->target);
}

int ave_settings_new_for_stages(ave_settings **out, const ave_stage *const *stages,
                                size_t stage_count)
{
    ave_settings *s = NULL;
    int ret;

    *out = NULL;
    if (!(s = calloc(1, sizeof *s)))
        return AVE_ERR_NOMEM;
    s->stages = stages;
    s->stage_count = stage_count;
    if (!(s->slots = calloc(stage_count + 1, sizeof *s->slots))) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    s->slot_count = 1;
    if ((ret = slot_init(&s->slots[0], NULL, ave_config_options(), sizeof(ave_config))) < 0)
        goto out;
    for (size_t i = 0; i < stage_count; i++) {
        const ave_stage *st = stages[i];
        if (!st->options || !st->options[0].name || !st->opts_size)
            continue;
        /* Counted before init so a partly set up slot is still freed. */
        settings_slot *slot = &s->slots[s->slot_count++];
        if ((ret = slot_init(slot, st->name, st->options, st->opts_size)) < 0)
            goto out;
    }
    *out = s;
    s = NULL;
out:
    ave_settings_free(s);
    return ret;
}

const ave_stage *const *ave_settings_stages(const ave_settings *s, size_t *count)
{
    *count = s->stage_count;
    return s->stages;
}

void ave_settings_free(ave_settings *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->slot_count; i++) {
        settings_slot *slot = &s->slots[i];
        if (slot->target)
            ave_options_free_strings(slot->table, slot->target);
        free(slot->target);
        free(slot->source);
    }
    free(s->slots);
    free(s);
}

const ave_config *ave_settings_config(const ave_settings *s)
{
    return s ? (const ave_config *)s->slots[0].target : NULL;
}

static const settings_slot *find_slot(const ave_settings *s, const char *owner, size_t len)
{
    for (size_t i = 1; i < s->slot_count; i++) {
        const char *o = s->slots[i].owner;
        if (strlen(o) == len && !strncmp(o, owner, len))
            return &s->slots[i];
    }
    return NULL;
}

const void *ave_settings_stage_opts(const ave_settings *s, const char *stage_name)
{
    if (!s || !stage_name)
        return NULL;
    const settings_slot *slot = find_slot(s, stage_name, strlen(stage_name));
    return slot ? slot->target : NULL;
}

static int slot_ref(const settings_slot *slot, const char *name, settings_ref *ref)
{
    const ave_option *o = ave_options_find(slot->table, name);
    if (!o)
        return AVE_ERR_USAGE;
    ref->owner = slot->owner;
    ref->opt = o;
    ref->target = slot->target;
    ref->source = &slot->source[o - slot->table];
    return 0;
}

int settings_lookup(const ave_settings *s, const char *name, settings_ref *ref)
{
    const char *dot;

    if (!s || !name || !*name)
        return AVE_ERR_USAGE;
    if ((dot = strchr(name, '.'))) {
        const settings_slot *slot = find_slot(s, name, (size_t)(dot - name));
        return slot ? slot_ref(slot, dot + 1, ref) : AVE_ERR_USAGE;
    }
    for (size_t i = 0; i < s->slot_count; i++)
        if (slot_ref(&s->slots[i], name, ref) == 0)
            return 0;
    return AVE_ERR_USAGE;
}

const ave_option *ave_settings_find_option(const ave_settings *s, const char *name,
                                           const char **owner)
{
    settings_ref ref;
    if (settings_lookup(s, name, &ref) < 0)
        return NULL;
    if (owner)
        *owner = ref.owner;
    return ref.opt;
}

int settings_lookup_compat(const ave_settings *s, const char *name, settings_ref *ref)
{
    for (size_t i = 0; name && i < sizeof option_aliases / sizeof option_aliases[0]; i++)
        if (alias_matches(option_aliases[i].alias, name))
            name = option_aliases[i].name;
    return settings_lookup(s, name, ref);
}

static size_t value_size(int type)
{
    switch (type) {
    case AVE_OPT_INT:
        return sizeof(int64_t);
    case AVE_OPT_DOUBLE:
        return sizeof(double);
    case AVE_OPT_STRING:
        return sizeof(char *);
    default:
        return sizeof(int);
    }
}

int settings_assign(const settings_ref *ref, const char *value, int source, char *reason,
                    size_t len)
{
    const ave_option *o = ref->opt;
    size_t size = value_size(o->type);
    /* Parse into a scratch copy laid out like the target (calloc memory is
     * aligned for any field), so a rejected or outranked value never
     * touches the real one. */
    char *scratch = calloc(1, o->offset + size);
    int ret;

    if (!scratch)
        return AVE_ERR_NOMEM;
    /* `--output ''` is a mistake (an unset shell variable, say), not a
     * request for the default; an empty environment variable is the
     * shell's way of unsetting one and still means "none". */
    if ((o->flags & AVE_OPTF_PATH) && source != AVE_SRC_ENV && value && !*value) {
        snprintf(reason, len, "an empty path; leave the flag out for the default");
        ret = AVE_ERR_USAGE;
        goto out;
    }
    if ((ret = ave_option_parse(o, scratch, value, reason, len)) < 0)
        goto out;
    if (source < *ref->source)
        goto out; /* valid, but a higher-ranked level already decided */
    if (o->type == AVE_OPT_STRING) {
        char **dst = (char **)((char *)ref->target + o->offset);
        char **src = (char **)(scratch + o->offset);
        /* A list flag given twice (--export edl --export otio) adds up. */
        if ((o->flags & AVE_OPTF_LIST) && source == AVE_SRC_FLAG &&
            *ref->source == AVE_SRC_FLAG && *dst && *src) {
            size_t n = strlen(*dst) + strlen(*src) + 2;
            char *joined = malloc(n);
            if (!joined) {
                ret = AVE_ERR_NOMEM;
                goto out;
            }
            snprintf(joined, n, "%s,%s", *dst, *src);
            free(*src);
            *src = joined;
        }
        free(*dst);
        *dst = *src;
        *src = NULL;
    } else {
        memcpy((char *)ref->target + o->offset, scratch + o->offset, size);
    }
    *ref->source = (unsigned char)source;
out:
    if (o->type == AVE_OPT_STRING)
        free(*(char **)(scratch + o->offset));
    free(scratch);
    return ret;
}

int ave_settings_set(ave_settings *s, const char *name, const char *value, int source,
                     char *err, size_t errlen)
{
    settings_ref ref;
    char reason[256];
    int ret;

    if (err && errlen)
        err[0] = '\0';
    if (!s || !name)
        return AVE_ERR_INTERNAL;
    if (source < AVE_SRC_DEFAULT || source > AVE_SRC_FLAG) {
        snprintf(err, errlen, "--%s: invalid value source %d", name, source);
        return AVE_ERR_INTERNAL;
    }
    if (settings_lookup(s, name, &ref) < 0) {
        const char *hint = settings_suggest(s, name);
        if (hint)
            snprintf(err, errlen, "unknown option --%s (did you mean --%s?)", name, hint);
        else
            snprintf(err, errlen, "unknown option --%s", name);
        return AVE_ERR_USAGE;
    }
    if (source == AVE_SRC_PROFILE && (ref.opt->flags & AVE_OPTF_CLI_ONLY)) {
        snprintf(err, errlen, "--%s: cannot be set from a profile", ref.opt->name);
        return AVE_ERR_USAGE;
    }
    if ((ret = settings_assign(&ref, value, source, reason, sizeof reason)) < 0) {
        if (ret == AVE_ERR_NOMEM)
            snprintf(err, errlen, "--%s: out of memory", ref.opt->name);
        else
            snprintf(err, errlen, "--%s: %s", ref.opt->name, reason);
    }
    return ret;
}

int ave_settings_source(const ave_settings *s, const char *name)
{
    settings_ref ref;
    return settings_lookup(s, name, &ref) == 0 ? *ref.source : AVE_SRC_DEFAULT;
}

int ave_settings_foreach(const ave_settings *s, ave_settings_visit_fn fn, void *opaque)
{
    if (!s || !fn)
        return AVE_ERR_INTERNAL;
    for (size_t i = 0; i < s->slot_count; i++) {
        const settings_slot *slot = &s->slots[i];
        for (size_t j = 0; j < slot->count; j++) {
            int ret = fn(opaque, slot->owner, &slot->table[j], slot->target, slot->source[j]);
            if (ret)
                return ret;
        }
    }
    return 0;
}
