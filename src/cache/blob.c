/* A tiny binary format for cached stage results: little-endian fixed-width
 * fields appended to a growable buffer, read back with bounds checks.
 *
 * Why not JSON: word lists and frame features are arrays of numbers that
 * must come back bit-identical (a reloaded double must equal the computed
 * one, or a later stage could decide differently), and a binary read is
 * cheap. Errors are sticky so a writer or reader checks once at the end. */
#include <stdlib.h>
#include <string.h>

#include "ave/cache.h"
#include "ave/error.h"

#define BLOB_MAX ((size_t)1 << 30)

static void put(ave_blob *b, const void *p, size_t n)
{
    if (b->err)
        return;
    if (n > BLOB_MAX - b->size) {
        b->err = AVE_ERR_LIMIT;
        return;
    }
    if (b->size + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->size + n)
            cap *= 2;
        unsigned char *d = realloc(b->data, cap);
        if (!d) {
            b->err = AVE_ERR_NOMEM;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->size, p, n);
    b->size += n;
}

static void put_le(ave_blob *b, uint64_t v, int bytes)
{
    unsigned char le[8];
    for (int i = 0; i < bytes; i++)
        le[i] = (unsigned char)(v >> (8 * i));
    put(b, le, (size_t)bytes);
}

void ave_blob_u32(ave_blob *b, uint32_t v) { put_le(b, v, 4); }

int ave_blob_finish(ave_blob *b, void **data, size_t *size)
{
    if (b->err) {
        free(b->data);
        b->data = NULL;
        return b->err;
    }
    *data = b->data;
    *size = b->size;
    b->data = NULL;
    return 0;
}
void ave_blob_i64(ave_blob *b, int64_t v) { put_le(b, (uint64_t)v, 8); }

void ave_blob_f64(ave_blob *b, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof(bits));
    put_le(b, bits, 8);
}

void ave_blob_bytes(ave_blob *b, const void *p, size_t n) { put(b, p, n); }

void ave_blob_timeline(ave_blob *b, const ave_timeline *tl)
{
    ave_blob_i64(b, tl->duration_us);
    ave_blob_u32(b, (uint32_t)tl->count);
    for (size_t i = 0; i < tl->count; i++) {
        ave_blob_i64(b, tl->segs[i].start_us);
        ave_blob_i64(b, tl->segs[i].end_us);
        ave_blob_u32(b, (uint32_t)tl->segs[i].keep);
        ave_blob_u32(b, (uint32_t)tl->segs[i].reason);
    }
}

static uint64_t get_le(ave_blob_reader *r, int bytes)
{
    uint64_t v = 0;
    if (r->err || r->left < (size_t)bytes) {
        r->err = AVE_ERR_INPUT;
        return 0;
    }
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)r->p[i] << (8 * i);
    r->p += bytes;
    r->left -= (size_t)bytes;
    return v;
}

uint32_t ave_blob_read_u32(ave_blob_reader *r) { return (uint32_t)get_le(r, 4); }
int64_t ave_blob_read_i64(ave_blob_reader *r) { return (int64_t)get_le(r, 8); }

double ave_blob_read_f64(ave_blob_reader *r)
{
    uint64_t bits = get_le(r, 8);
    double v;
    memcpy(&v, &bits, sizeof(v));
    return v;
}

void ave_blob_read_bytes(ave_blob_reader *r, void *p, size_t n)
{
    if (r->err || r->left < n) {
        r->err = AVE_ERR_INPUT;
        memset(p, 0, n);
        return;
    }
    memcpy(p, r->p, n);
    r->p += n;
    r->left -= n;
}

int ave_blob_read_timeline(ave_blob_reader *r, ave_timeline *out)
{
    int64_t duration = ave_blob_read_i64(r);
    uint32_t count = ave_blob_read_u32(r);
    int64_t at = 0;

    /* Each segment takes 24 bytes: a count the data cannot hold is damage. */
    if (r->err || count == 0 || duration <= 0 || count > r->left / 24)
        return r->err = AVE_ERR_INPUT;
    out->segs = calloc(count, sizeof(*out->segs));
    if (!out->segs)
        return AVE_ERR_NOMEM;
    out->count = out->cap = count;
    out->duration_us = duration;
    for (uint32_t i = 0; i < count; i++) {
        ave_segment *s = &out->segs[i];
        s->start_us = ave_blob_read_i64(r);
        s->end_us = ave_blob_read_i64(r);
        s->keep = (int)ave_blob_read_u32(r);
        s->reason = (int)ave_blob_read_u32(r);
        if (s->start_us != at || s->end_us <= s->start_us || s->reason < 0 ||
            s->reason >= AVE_REASON_COUNT || (s->keep != 0 && s->keep != 1))
            r->err = AVE_ERR_INPUT;
        at = s->end_us;
    }
    if (!r->err && at != duration)
        r->err = AVE_ERR_INPUT;
    if (r->err) {
        ave_timeline_free(out);
        return r->err;
    }
    return 0;
}
