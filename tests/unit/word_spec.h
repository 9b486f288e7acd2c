/* Test words from a compact spec: "text start end" triples in milliseconds
 * separated by '|', e.g. "so 0 200|we 500 600"; a text starting with '*'
 * is a filler ("*um"). Shared by the speech editing tests. */
#ifndef AVE_TEST_WORD_SPEC_H
#define AVE_TEST_WORD_SPEC_H
#include <stdio.h>
#include <string.h>

#include "ave/job.h"

#define MAXW 32

/* Fills w[0..MAXW) and returns the count. */
static size_t words(ave_word *w, const char *spec)
{
    size_t n = 0;
    char buf[512], *save = NULL;

    snprintf(buf, sizeof(buf), "%s", spec);
    for (char *tok = strtok_r(buf, "|", &save); tok && n < MAXW; tok = strtok_r(NULL, "|", &save)) {
        char text[48];
        int a, b;
        if (sscanf(tok, "%47s %d %d", text, &a, &b) != 3)
            continue;
        memset(&w[n], 0, sizeof(w[n]));
        snprintf(w[n].text, sizeof(w[n].text), "%s", text[0] == '*' ? text + 1 : text);
        if (text[0] == '*')
            w[n].flags = AVE_WORD_FILLER;
        w[n].start_us = a * 1000LL;
        w[n].end_us = b * 1000LL;
        n++;
    }
    return n;
}
#endif
