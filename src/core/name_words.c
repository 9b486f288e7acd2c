/* File names as words (see name_words.h). A camera's "IMG_2034" or
 * "VID_20231101_101500" says nothing a viewer should read, so such names
 * give no words at all rather than "Img" on a thumbnail. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/name_words.h"

static const char *const device_prefixes[] = {"dji", "dsc", "dscf", "dscn", "gopr", "img", "mov",
                                              "mvi", "pict", "pxl", "vid", "wp"};

static int device_prefix(const char *w)
{
    for (size_t i = 0; i < sizeof(device_prefixes) / sizeof(device_prefixes[0]); i++)
        if (!strcasecmp(w, device_prefixes[i]))
            return 1;
    return 0;
}

int ave_name_words(const char *name, char *out, size_t len)
{
    size_t o = 0;
    int words = 0;
    const char *p = name ? name : "";

    if (!len)
        return 0;
    out[0] = '\0';
    while (*p) {
        char w[64];
        size_t n = 0, digits = 0, letters = 0;
        while (*p && (*p == '_' || *p == '-' || *p == '.' || isspace((unsigned char)*p)))
            p++;
        while (*p && !(*p == '_' || *p == '-' || *p == '.' || isspace((unsigned char)*p))) {
            unsigned char c = (unsigned char)*p++;
            if (n + 1 < sizeof(w))
                w[n++] = (char)c;
            digits += isdigit(c) != 0;
            letters += isalpha(c) != 0 || c >= 0x80;
        }
        w[n] = '\0';
        if (!n || device_prefix(w) || (digits && (letters || n > 2)))
            continue;
        if (o + n + 2 > len)
            break;
        if (o)
            out[o++] = ' ';
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)w[i];
            out[o++] = (char)(c < 128 ? (i ? tolower(c) : toupper(c)) : c);
        }
        out[o] = '\0';
        words += letters >= 3;
    }
    if (!words)
        out[0] = '\0';
    return words > 0;
}
