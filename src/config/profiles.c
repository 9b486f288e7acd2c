/* Reading performance profiles (performance_profiles.yaml) with libyaml.
 *
 * File format:
 *
 *   # performance_profiles.yaml
 *   profiles:
 *     speed_optimized:
 *       description: "Fast preview"   # optional free text, not an option
 *       mode: fast                    # keys are option (flag) names,
 *       quality: medium               #   '_' or '-' both accepted,
 *       max_memory: 4                 #   "stage.name" for stage options
 *       parallel: true
 *     my_profile:
 *       inherits: quality_optimized   # optional: start from another profile
 *       timeout: 600
 *
 * The only top-level key is `profiles`; each profile maps option names to
 * scalar values (any YAML scalar style). Lists, nested mappings, duplicate
 * profiles and duplicate keys are errors, reported as "FILE:LINE: ..." with
 * 1-based lines from libyaml's marks. Values stay text here and are checked
 * against the option tables when a profile is applied (profile_apply.c), so
 * a file written for a build with more stages still loads.
 * Uses the document API: files are tiny (capped at 1 MiB) and aliases then
 * resolve for free. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "ave/error.h"
#include "config_internal.h"

#define PROFILE_FILE_MAX (1 << 20)

typedef struct parse_ctx {
    profile_set *set;
    yaml_document_t *doc;
    char *err;
    size_t errlen;
} parse_ctx;

static int fail(parse_ctx *c, const yaml_node_t *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "FILE:LINE: message"; always AVE_ERR_USAGE (a bad profile file). */
static int fail(parse_ctx *c, const yaml_node_t *at, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (at)
        snprintf(c->err, c->errlen, "%s:%zu: %s", c->set->file, at->start_mark.line + 1, msg);
    else
        snprintf(c->err, c->errlen, "%s: %s", c->set->file, msg);
    return AVE_ERR_USAGE;
}

static const char *scalar(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

/* An empty value ("key:" or "~" or "null") stands for "nothing here". */
static int is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *v = scalar(n);
    return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
           !strcmp(v, "NULL");
}

static const char *kind(const yaml_node_t *n)
{
    return n->type == YAML_SEQUENCE_NODE ? "a list" : "a mapping";
}

static int same_key(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if ((*a == '_' ? '-' : *a) != (*b == '_' ? '-' : *b))
            return 0;
    return *a == *b;
}

static int add_kv(parse_ctx *c, profile *p, const yaml_node_t *key, const yaml_node_t *val)
{
    const char *k = scalar(key);

    if (val->type != YAML_SCALAR_NODE)
        return fail(c, val, "key '%s': expected a single value, not %s", k, kind(val));
    if (!strcmp(k, "description") || !strcmp(k, "inherits")) {
        char **slot = k[0] == 'd' ? &p->description : &p->inherits;
        if (*slot)
            return fail(c, key, "key '%s' appears twice in profile '%s'", k, p->name);
        if (!(*slot = strdup(scalar(val))))
            return AVE_ERR_NOMEM;
        if (k[0] == 'i') {
            p->inherits_line = (int)key->start_mark.line + 1;
            if (!**slot)
                return fail(c, val, "profile '%s': 'inherits' needs a profile name", p->name);
        }
        return 0;
    }
    for (size_t i = 0; i < p->kv_count; i++)
        if (same_key(p->kv[i].key, k))
            return fail(c, key, "key '%s' appears twice in profile '%s' (first at line %d)", k,
                        p->name, p->kv[i].line);
    profile_kv *grown = realloc(p->kv, (p->kv_count + 1) * sizeof *grown);
    if (!grown)
        return AVE_ERR_NOMEM;
    p->kv = grown;
    profile_kv *kv = &p->kv[p->kv_count];
    kv->key = strdup(k);
    kv->value = strdup(scalar(val));
    kv->line = (int)key->start_mark.line + 1;
    p->kv_count++; /* counted now so clear() frees even a half-filled entry */
    return kv->key && kv->value ? 0 : AVE_ERR_NOMEM;
}

static int add_profile(parse_ctx *c, const yaml_node_t *key, const yaml_node_t *body)
{
    profile_set *set = c->set;
    const char *name = scalar(key);
    int ret;

    if (!*name)
        return fail(c, key, "a profile needs a name");
    const profile *dup = profile_set_find(set, name);
    if (dup)
        return fail(c, key, "profile '%s' is defined twice (first at line %d)", name, dup->line);
    if (body->type != YAML_MAPPING_NODE && !is_null(body))
        return fail(c, body, "profile '%s': expected a mapping of option: value", name);

    profile *grown = realloc(set->items, (set->count + 1) * sizeof *grown);
    if (!grown)
        return AVE_ERR_NOMEM;
    set->items = grown;
    profile *p = &set->items[set->count++];
    memset(p, 0, sizeof *p);
    p->file = set->file;
    p->line = (int)key->start_mark.line + 1;
    if (!(p->name = strdup(name)))
        return AVE_ERR_NOMEM;
    if (body->type != YAML_MAPPING_NODE)
        return 0;
    for (yaml_node_pair_t *pr = body->data.mapping.pairs.start; pr < body->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(c->doc, pr->value);
        if (k->type != YAML_SCALAR_NODE)
            return fail(c, k, "profile '%s': keys must be option names", name);
        if ((ret = add_kv(c, p, k, v)) < 0)
            return ret;
    }
    return 0;
}

static int parse_root(parse_ctx *c, const yaml_node_t *root)
{
    int ret, seen = 0;

    if (!root || is_null(root))
        return 0; /* an empty file has no profiles */
    if (root->type != YAML_MAPPING_NODE)
        return fail(c, root, "expected a mapping with a 'profiles' key");
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top;
         pr++) {
        yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(c->doc, pr->value);
        if (k->type != YAML_SCALAR_NODE || strcmp(scalar(k), "profiles") != 0)
            return fail(c, k, "unknown top-level key%s%s%s (expected 'profiles')",
                        k->type == YAML_SCALAR_NODE ? " '" : "",
                        k->type == YAML_SCALAR_NODE ? scalar(k) : "",
                        k->type == YAML_SCALAR_NODE ? "'" : "");
        if (seen++)
            return fail(c, k, "'profiles' appears twice");
        if (is_null(v))
            continue;
        if (v->type != YAML_MAPPING_NODE)
            return fail(c, v, "'profiles' must map profile names to their settings");
        for (yaml_node_pair_t *pp = v->data.mapping.pairs.start; pp < v->data.mapping.pairs.top;
             pp++) {
            yaml_node_t *name = yaml_document_get_node(c->doc, pp->key);
            yaml_node_t *body = yaml_document_get_node(c->doc, pp->value);
            if (name->type != YAML_SCALAR_NODE)
                return fail(c, name, "profile names must be plain text");
            if ((ret = add_profile(c, name, body)) < 0)
                return ret;
        }
    }
    return 0;
}

static int syntax_error(parse_ctx *c, const yaml_parser_t *parser, const char *text,
                        size_t len)
{
    const char *problem = parser->problem ? parser->problem : "unknown problem";
    if (parser->error == YAML_MEMORY_ERROR) {
        snprintf(c->err, c->errlen, "%s: out of memory while parsing", c->set->file);
        return AVE_ERR_NOMEM;
    }
    if (parser->error == YAML_READER_ERROR) {
        /* Bad encoding comes with a byte offset only: turn it into a line. */
        size_t line = 1;
        for (size_t i = 0; i < parser->problem_offset && i < len; i++)
            line += text[i] == '\n';
        snprintf(c->err, c->errlen, "%s:%zu: YAML syntax error: %s (byte %zu)", c->set->file,
                 line, problem, parser->problem_offset);
    } else if (parser->context) {
        snprintf(c->err, c->errlen, "%s:%zu: YAML syntax error: %s (%s)", c->set->file,
                 parser->problem_mark.line + 1, problem, parser->context);
    } else {
        snprintf(c->err, c->errlen, "%s:%zu: YAML syntax error: %s", c->set->file,
                 parser->problem_mark.line + 1, problem);
    }
    return AVE_ERR_USAGE;
}

int profile_set_parse(profile_set *set, const char *file, const char *text, size_t len,
                      char *err, size_t errlen)
{
    char sink[1]; /* callers may pass no err buffer */
    parse_ctx c = {.set = set, .err = err && errlen ? err : sink,
                   .errlen = err && errlen ? errlen : sizeof sink};
    yaml_parser_t parser;
    yaml_document_t doc, extra;
    int ret = 0, have_doc = 0;

    c.err[0] = '\0';
    if (!set->file && !(set->file = strdup(file)))
        return AVE_ERR_NOMEM;
    if (!yaml_parser_initialize(&parser))
        return AVE_ERR_NOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    /* On failure yaml_parser_load releases the document itself. */
    if (!yaml_parser_load(&parser, &doc)) {
        ret = syntax_error(&c, &parser, text, len);
        goto out;
    }
    have_doc = 1;
    c.doc = &doc;
    if ((ret = parse_root(&c, yaml_document_get_root_node(&doc))) < 0)
        goto out;
    /* A second document would be silently ignored otherwise. */
    if (!yaml_parser_load(&parser, &extra)) {
        ret = syntax_error(&c, &parser, text, len);
        goto out;
    }
    yaml_node_t *extra_root = yaml_document_get_root_node(&extra);
    if (extra_root) {
        snprintf(c.err, c.errlen, "%s:%zu: only one YAML document is allowed", set->file,
                 extra_root->start_mark.line + 1);
        ret = AVE_ERR_USAGE;
    }
    yaml_document_delete(&extra);
out:
    if (ret == AVE_ERR_NOMEM && !c.err[0])
        snprintf(c.err, c.errlen, "%s: out of memory", set->file);
    if (have_doc)
        yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return ret;
}

int profile_set_load(profile_set *set, const char *path, char *err, size_t errlen)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = NULL;
    int ret = 0;

    if (!(set->file = strdup(path)))
        return AVE_ERR_NOMEM;
    if (!(f = fopen(path, "rb")))
        goto read_error;
    /* One byte over the cap tells "too large" from "exactly the cap". */
    if (!(buf = malloc(PROFILE_FILE_MAX + 1))) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    len = fread(buf, 1, PROFILE_FILE_MAX + 1, f);
    if (ferror(f))
        goto read_error;
    if (len > PROFILE_FILE_MAX) {
        snprintf(err, errlen, "%s: too large for a profiles file (over %d bytes)", path,
                 PROFILE_FILE_MAX);
        ret = AVE_ERR_USAGE;
        goto out;
    }
    ret = profile_set_parse(set, path, buf, len, err, errlen);
    goto out;
read_error:
    snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
    ret = AVE_ERR_USAGE;
out:
    if (f)
        fclose(f);
    free(buf);
    return ret;
}

int profile_set_builtin(profile_set *set, char *err, size_t errlen)
{
    const char *text = profile_builtin_yaml();
    return profile_set_parse(set, "<built-in>", text, strlen(text), err, errlen);
}

void profile_set_clear(profile_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        profile *p = &set->items[i];
        for (size_t j = 0; j < p->kv_count; j++) {
            free(p->kv[j].key);
            free(p->kv[j].value);
        }
        free(p->kv);
        free(p->name);
        free(p->description);
        free(p->inherits);
    }
    free(set->items);
    free(set->file);
    memset(set, 0, sizeof *set);
}

const profile *profile_set_find(const profile_set *set, const char *name)
{
    for (size_t i = 0; i < set->count; i++)
        if (!strcmp(set->items[i].name, name))
            return &set->items[i];
    return NULL;
}
