/* array_grow: doubling from the first capacity, no move when there is
 * room, growth to several times at once, refusal (and the array kept) when
 * the size would overflow. Under ASan: nothing leaks or is overrun. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "core/array_grow.h"

typedef struct item {
    int64_t a, b;
} item;

int main(void)
{
    item *list = NULL, *g;
    size_t cap = 0, count = 0;

    for (int i = 0; i < 1000; i++) {
        g = array_grow(list, &cap, count + 1, sizeof(*list), 16);
        CHECK(g != NULL);
        if (!g)
            break;
        list = g;
        list[count++] = (item){i, -i};
    }
    CHECK_EQ_INT(cap, 1024); /* 16, 32, ..., 1024 */
    CHECK_EQ_INT(list[999].a, 999);
    CHECK(array_grow(list, &cap, 1024, sizeof(*list), 16) == list); /* room: no move */
    g = array_grow(list, &cap, 5000, sizeof(*list), 16);
    CHECK(g != NULL);
    if (g)
        list = g;
    CHECK_EQ_INT(cap, 8192);
    CHECK_EQ_INT(list[500].b, -500);

    size_t before = cap;
    CHECK(array_grow(list, &cap, SIZE_MAX / 8, sizeof(*list), 16) == NULL);
    CHECK(array_grow(list, &cap, SIZE_MAX, 1, 16) == NULL);
    CHECK_EQ_INT(cap, before);
    CHECK_EQ_INT(list[999].a, 999); /* still ours */
    free(list);

    size_t c2 = 0;
    char *s = array_grow(NULL, &c2, 1, 1, 0); /* first 0: starts at 1 */
    CHECK(s != NULL);
    CHECK_EQ_INT(c2, 1);
    free(s);
    return CHECK_DONE();
}
