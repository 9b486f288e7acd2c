/* Growable arrays (see core/array_grow.h). */
#include <stdint.h>
#include <stdlib.h>

#include "core/array_grow.h"

void *array_grow(void *p, size_t *cap, size_t need, size_t size, size_t first)
{
    size_t n = *cap ? *cap : (first ? first : 1);
    void *grown;

    if (need <= *cap)
        return p;
    if (size == 0)
        return NULL;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return NULL;
        n *= 2;
    }
    if (n > SIZE_MAX / size)
        return NULL;
    if (!(grown = realloc(p, n * size)))
        return NULL;
    *cap = n;
    return grown;
}
