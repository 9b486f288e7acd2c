/* Face detection entry points (skeleton; being filled in by helper "face"). */
#include "ave/face.h"
#include "ave/error.h"

void ave_face_params_default(ave_face_params *p)
{
    p->scale_factor = 1.1;
    p->min_neighbours = 3;
    p->min_size = 0;
    p->max_size = 0;
}

int ave_face_detect(const ave_cascade *cascade, const uint8_t *gray, int width, int height,
                    ptrdiff_t stride, const ave_face_params *params,
                    ave_face_rect **faces, size_t *count)
{
    (void)cascade; (void)gray; (void)width; (void)height; (void)stride; (void)params;
    *faces = NULL;
    *count = 0;
    return AVE_ERR_INTERNAL;
}
