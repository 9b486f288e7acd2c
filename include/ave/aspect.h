/* The --aspect versions (render's "aspect" option, docs/ASPECT.md): their
 * names and output sizes, shared by render (which reframes to them) and
 * broll (which draws each card again at their size), so both agree on the
 * picture without including each other. */
#ifndef AVE_ASPECT_H
#define AVE_ASPECT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AVE_ASPECT_COUNT 3 /* 9:16, 1:1, 4:5, in this order */

typedef struct ave_aspect_info {
    const char *label; /* "9:16", as --aspect takes it */
    const char *tag;   /* "9x16", as file names carry it */
    int num, den;
} ave_aspect_info;

/* The aspect of index i (0 .. AVE_ASPECT_COUNT-1), static. */
const ave_aspect_info *ave_aspect_get(int i);

/* The index of the aspect named by the len characters at label ("9:16"),
 * or -1 when it is not one of them. */
int ave_aspect_find(const char *label, size_t len);

/* The output size of aspect num:den for a src_w x src_h picture: the
 * largest window of the aspect inside it, the other side rounded down to
 * even (a 1280x720 source gives 404x720 for 9:16). */
void ave_aspect_size(int src_w, int src_h, int num, int den, int *w, int *h);

#ifdef __cplusplus
}
#endif
#endif
