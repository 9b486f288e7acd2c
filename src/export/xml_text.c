/* XML text for the writers (see export.h): the escaping that keeps an
 * exported document well-formed whatever the file names and titles hold. */
#include <stddef.h>

#include "export/export.h"

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not one
 * (stray continuation byte, overlong form, surrogate, beyond U+10FFFF). */
static size_t utf8_len(const unsigned char *s)
{
    size_t n = s[0] < 0x80                    ? 1
               : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
               : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
               : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
                                              : 0;

    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0))) ||
        (n == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))))
        return 0;
    return n;
}

void export_xml_text(dynbuf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (p && *p) {
        unsigned char c = *p;
        const char *rep = c == '&'    ? "&amp;"
                          : c == '<'  ? "&lt;"
                          : c == '>'  ? "&gt;"
                          : c == '"'  ? "&quot;"
                          : c == '\'' ? "&apos;"
                                      : NULL;
        size_t n = utf8_len(p);

        if (rep) {
            dynbuf_adds(b, rep);
        } else if (n == 0) {
            dynbuf_adds(b, "\xEF\xBF\xBD"); /* U+FFFD: a file name need not be UTF-8 */
            n = 1;
        } else if (c >= 0x20 || c == '\t' || c == '\n') {
            dynbuf_add(b, p, n);
        }
        p += n;
    }
}
