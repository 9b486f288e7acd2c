/* Room for one more element in a growable array: the doubling every list
 * of structs in the library used to write by hand (about twenty copies),
 * once, with the size checked for overflow.
 *
 *     item *g = array_grow(list, &cap, count + 1, sizeof(*list), 64);
 *     if (!g)
 *         return AVE_ERR_NOMEM;
 *     list = g;
 *
 * Internal to the library (libave.a keeps the name local). */
#ifndef AVE_CORE_ARRAY_GROW_H
#define AVE_CORE_ARRAY_GROW_H

#include <stddef.h>

/* The array p (capacity *cap elements of size bytes; NULL with *cap 0 at
 * first) with room for at least need elements: p itself when it has it,
 * else p moved into a larger block, doubling from `first`, and *cap
 * updated. Returns NULL, with p still valid and *cap unchanged, when the
 * allocation fails or the size would overflow. */
void *array_grow(void *p, size_t *cap, size_t need, size_t size, size_t first);

#endif
