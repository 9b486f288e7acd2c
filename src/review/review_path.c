/* Request path -> file of the output folder (ave_review_resolve).
 *
 * Works on the raw path, before any percent-decoding by the HTTP library
 * (the server installs an identity unescape callback), so an encoded '/'
 * ("..%2Fetc") or '\\' is seen and refused here instead of becoming a path
 * separator after the checks. Segments are checked one by one after decoding:
 * ".", "..", hidden names and empty segments never reach the file system.
 * Symbolic links are the server's part (realpath containment), since this
 * function never touches the disk. */
#include <string.h>

#include "ave/error.h"
#include "ave/review.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode one segment [s, e) into out (at most cap bytes, no NUL added).
 * Returns the decoded length or -1. */
static long decode_segment(const char *s, const char *e, char *out, size_t cap)
{
    size_t n = 0;
    while (s < e) {
        unsigned char c = (unsigned char)*s;
        if (c == '%') {
            if (e - s < 3)
                return -1;
            int hi = hexval(s[1]), lo = hexval(s[2]);
            if (hi < 0 || lo < 0)
                return -1;
            c = (unsigned char)(hi * 16 + lo);
            s += 3;
        } else {
            s++;
        }
        /* No separators, NULs or control bytes may come out of an escape
         * (or be sent raw): they are how traversal hides. */
        if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f)
            return -1;
        if (n >= cap)
            return -1;
        out[n++] = (char)c;
    }
    return (long)n;
}

int ave_review_resolve(const char *url_path, char *rel, size_t rellen)
{
    if (!url_path || !rel || rellen == 0 || url_path[0] != '/')
        return AVE_ERR_INPUT;
    if (strchr(url_path, '?') || strchr(url_path, '#'))
        return AVE_ERR_INPUT;
    size_t n = 0;
    const char *p = url_path + 1;
    rel[0] = '\0';
    while (*p) {
        const char *e = strchr(p, '/');
        if (!e)
            e = p + strlen(p);
        if (e == p) {
            if (*e == '\0')
                break; /* a trailing slash */
            return AVE_ERR_INPUT;
        }
        if (n > 0) {
            if (n + 1 >= rellen)
                return AVE_ERR_INPUT;
            rel[n++] = '/';
        }
        long len = decode_segment(p, e, rel + n, rellen - n - 1);
        if (len <= 0)
            return AVE_ERR_INPUT;
        /* ".", ".." and hidden names (.ave-outputs.json, .ave-partial-*). */
        if (rel[n] == '.')
            return AVE_ERR_INPUT;
        n += (size_t)len;
        rel[n] = '\0';
        if (*e == '\0')
            break;
        p = e + 1;
        if (*p == '\0')
            break; /* a trailing slash */
    }
    return 0;
}
