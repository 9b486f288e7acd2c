/* Cascade XML loading (skeleton; being filled in by helper "face"). */
#include "ave/face.h"
#include "ave/error.h"
#include <stdio.h>

int ave_cascade_load(const char *xml_path, ave_cascade **out, char *err, size_t errlen)
{
    *out = NULL;
    if (err && errlen)
        snprintf(err, errlen, "%s: face detector not implemented yet", xml_path);
    return AVE_ERR_INTERNAL;
}

void ave_cascade_free(ave_cascade *cascade) { (void)cascade; }

void ave_cascade_window(const ave_cascade *cascade, int *width, int *height)
{
    (void)cascade;
    *width = 24;
    *height = 24;
}
