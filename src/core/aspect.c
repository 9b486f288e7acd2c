/* The --aspect versions' names and sizes (include/ave/aspect.h). */
#include <math.h>
#include <string.h>

#include "ave/aspect.h"

static const ave_aspect_info known[AVE_ASPECT_COUNT] = {
    {"9:16", "9x16", 9, 16}, {"1:1", "1x1", 1, 1}, {"4:5", "4x5", 4, 5}};

const ave_aspect_info *ave_aspect_get(int i)
{
    return i >= 0 && i < AVE_ASPECT_COUNT ? &known[i] : NULL;
}

int ave_aspect_find(const char *label, size_t len)
{
    for (int k = 0; k < AVE_ASPECT_COUNT; k++)
        if (strlen(known[k].label) == len && !strncmp(label, known[k].label, len))
            return k;
    return -1;
}

void ave_aspect_size(int src_w, int src_h, int num, int den, int *w, int *h)
{
    if ((double)num / den < (double)src_w / src_h) {
        *h = src_h;
        *w = (int)lrint((double)src_h * num / den) & ~1;
    } else {
        *w = src_w;
        *h = (int)lrint((double)src_w * den / num) & ~1;
    }
}
