/* Cache keys: what makes two runs' results interchangeable.
 *
 * The input is identified by content, not by name or time stamp, so a copied
 * or renamed file still hits. Reading a whole multi-gigabyte video just to
 * look up a key would cost more than some stages, so the key uses a
 * fingerprint of the size and 16 sampled blocks; the full-file hash is stored
 * with each entry and checked (once per job) before a hit skips any work.
 * Hashes are SHA-256 from libavutil (no extra dependency). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavutil/hash.h>
#include <libavutil/mem.h>

#include "ave/cache.h"
#include "ave/error.h"
#include "ave/stage.h"
#include "core/dynbuf.h"

#define SAMPLE_BLOCKS 16
#define SAMPLE_BYTES (64 * 1024)
#define READ_CHUNK (1 << 20)

static int sha_begin(struct AVHashContext **ctx)
{
    if (av_hash_alloc(ctx, "SHA256") < 0)
        return AVE_ERR_NOMEM;
    av_hash_init(*ctx);
    return 0;
}

static void sha_end(struct AVHashContext **ctx, char out[AVE_CACHE_HEX_LEN])
{
    av_hash_final_hex(*ctx, (uint8_t *)out, AVE_CACHE_HEX_LEN);
    out[AVE_CACHE_HEX_LEN - 1] = '\0';
    av_hash_freep(ctx);
}

/* Read exactly n bytes at off (short only at end of file). */
static ssize_t read_at(int fd, unsigned char *buf, size_t n, off_t off)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, buf + got, n - got, off + (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

static int open_regular(const char *path, int *fd, int64_t *size)
{
    struct stat st;
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0)
        return AVE_ERR_INPUT;
    if (fstat(*fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(*fd);
        *fd = -1;
        return AVE_ERR_INPUT;
    }
    *size = (int64_t)st.st_size;
    return 0;
}

int ave_cache_fingerprint(const char *path, char out[AVE_CACHE_HEX_LEN], int *is_full)
{
    struct AVHashContext *ctx = NULL;
    unsigned char *buf = NULL, head[8];
    int64_t size = 0;
    int fd = -1, ret;

    *is_full = 0;
    if ((ret = open_regular(path, &fd, &size)) < 0)
        return ret;
    if (!(buf = malloc(SAMPLE_BYTES)) || (ret = sha_begin(&ctx)) < 0) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    for (int i = 0; i < 8; i++)
        head[i] = (unsigned char)((uint64_t)size >> (8 * i));
    av_hash_update(ctx, head, sizeof(head));
    if (size <= (int64_t)SAMPLE_BLOCKS * SAMPLE_BYTES) {
        /* Small enough to read whole: the fingerprint is then exact. */
        for (off_t off = 0; off < size; off += SAMPLE_BYTES) {
            ssize_t n = read_at(fd, buf, SAMPLE_BYTES, off);
            if (n < 0) {
                ret = AVE_ERR_INPUT;
                goto out;
            }
            av_hash_update(ctx, buf, (size_t)n);
        }
        *is_full = 1;
    } else {
        for (int i = 0; i < SAMPLE_BLOCKS; i++) {
            off_t off = (off_t)((size - SAMPLE_BYTES) * i / (SAMPLE_BLOCKS - 1));
            ssize_t n = read_at(fd, buf, SAMPLE_BYTES, off);
            if (n != SAMPLE_BYTES) {
                ret = AVE_ERR_INPUT; /* truncated while we read it */
                goto out;
            }
            av_hash_update(ctx, buf, SAMPLE_BYTES);
        }
    }
    sha_end(&ctx, out);
    ret = 0;
out:
    av_hash_freep(&ctx);
    free(buf);
    close(fd);
    return ret;
}

int ave_cache_file_hash(const char *path, char out[AVE_CACHE_HEX_LEN])
{
    struct AVHashContext *ctx = NULL;
    unsigned char *buf = NULL;
    int64_t size = 0;
    int fd = -1, ret;

    if ((ret = open_regular(path, &fd, &size)) < 0)
        return ret;
    if (!(buf = malloc(READ_CHUNK)) || (ret = sha_begin(&ctx)) < 0) {
        ret = AVE_ERR_NOMEM;
        goto out;
    }
    for (off_t off = 0;; ) {
        ssize_t n = read_at(fd, buf, READ_CHUNK, off);
        if (n < 0) {
            ret = AVE_ERR_INPUT;
            goto out;
        }
        if (n == 0)
            break;
        av_hash_update(ctx, buf, (size_t)n);
        off += n;
    }
    sha_end(&ctx, out);
    ret = 0;
out:
    av_hash_freep(&ctx);
    free(buf);
    close(fd);
    return ret;
}

/* The options' text is a few KB; the cap only stops a runaway. */
#define KEY_TEXT_MAX (16u << 20)

static void add_table(dynbuf *t, const char *owner, const ave_option *table, const void *target,
                      int skip_no_result)
{
    char value[1024];
    for (const ave_option *o = table; o && o->name; o++) {
        if (skip_no_result && (o->flags & AVE_OPTF_NO_RESULT))
            continue;
        if (ave_option_format(o, target, value, sizeof(value)) < 0)
            snprintf(value, sizeof(value), "?");
        dynbuf_printf(t, "%s.%s=%s\n", owner, o->name, value);
    }
}

int ave_cache_options_text(const ave_settings *s, const ave_config *cfg, const char *stage_name,
                           char **out)
{
    size_t count;
    const ave_stage *const *stages = ave_settings_stages(s, &count);
    dynbuf t = DYNBUF_INIT(KEY_TEXT_MAX);

    *out = NULL;
    add_table(&t, "global", ave_config_options(), cfg, 1);
    /* Earlier stages shape the job this stage sees (cuts, analysis), so
     * their options are part of its result too. */
    for (size_t i = 0; i < count; i++) {
        const void *opts = ave_settings_stage_opts(s, stages[i]->name);
        if (opts)
            add_table(&t, stages[i]->name, stages[i]->options, opts, 1);
        if (!strcmp(stages[i]->name, stage_name))
            break;
    }
    return dynbuf_take(&t, out, NULL);
}

int ave_cache_options_text_narrow(const ave_settings *s, const ave_config *cfg,
                                  const char *stage_name, const char *const *globals,
                                  const ave_option *own, char **out)
{
    const ave_option *table = ave_config_options();
    char value[1024];
    dynbuf t = DYNBUF_INIT(KEY_TEXT_MAX);

    *out = NULL;
    for (const char *const *g = globals; g && *g; g++) {
        const ave_option *o = ave_options_find(table, *g);
        if (!o || ave_option_format(o, cfg, value, sizeof(value)) < 0)
            snprintf(value, sizeof(value), "?");
        dynbuf_printf(&t, "global.%s=%s\n", *g, value);
    }
    const void *opts = ave_settings_stage_opts(s, stage_name);
    if (opts)
        add_table(&t, stage_name, own, opts, 1);
    return dynbuf_take(&t, out, NULL);
}

int ave_cache_make_key(const char *fingerprint, const char *stage_name, int version,
                       const char *options_text, char out[AVE_CACHE_HEX_LEN])
{
    struct AVHashContext *ctx = NULL;
    char ver[32];
    int ret;

    if ((ret = sha_begin(&ctx)) < 0)
        return ret;
    snprintf(ver, sizeof(ver), "%d", version);
    /* Each part with its terminator, so no two different tuples collide by
     * concatenation ("ab"+"c" vs "a"+"bc"). */
    const char *parts[] = {"ave-cache-key-1", fingerprint, stage_name, ver, options_text};
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
        av_hash_update(ctx, (const uint8_t *)parts[i], strlen(parts[i]) + 1);
    sha_end(&ctx, out);
    return 0;
}
