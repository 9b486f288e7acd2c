/* The Range header of a media request (RFC 9110 14.2): one byte range, the
 * form browsers send for <video> ("bytes=0-", "bytes=123-456",
 * "bytes=-500"). A list of ranges is answered with the whole file (allowed:
 * a server may ignore Range), which no media element asks for. */
#include <ctype.h>
#include <string.h>

#include "ave/error.h"
#include "ave/review.h"

/* Digits at *p into *v (no sign, no overflow); 1 when any were read. */
static int number(const char **p, uint64_t *v)
{
    const char *s = *p;
    uint64_t x = 0;
    while (isdigit((unsigned char)*s)) {
        unsigned d = (unsigned)(*s - '0');
        if (x > (UINT64_MAX - d) / 10)
            return 0;
        x = x * 10 + d;
        s++;
    }
    if (s == *p)
        return 0;
    *p = s;
    *v = x;
    return 1;
}

int ave_review_range(const char *header, uint64_t size, uint64_t *first, uint64_t *last)
{
    uint64_t a = 0, z = 0;
    int has_a, has_z;

    if (!header || strncmp(header, "bytes=", 6) != 0)
        return 0;
    const char *p = header + 6;
    while (*p == ' ')
        p++;
    has_a = number(&p, &a);
    if (*p != '-')
        return 0;
    p++;
    has_z = number(&p, &z);
    while (*p == ' ')
        p++;
    if (*p != '\0' || (!has_a && !has_z))
        return 0; /* a list, or garbage: ignore the header */
    if (!has_a) {
        /* The last z bytes. */
        if (z == 0 || size == 0)
            return AVE_ERR_INPUT;
        *first = z >= size ? 0 : size - z;
        *last = size - 1;
        return 1;
    }
    if (a >= size || (has_z && z < a))
        return AVE_ERR_INPUT;
    *first = a;
    *last = has_z && z < size ? z : size - 1;
    return 1;
}
