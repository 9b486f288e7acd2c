/* Spoken numbers: PocketSphinx writes "forty two percent", not "42%".
 *
 * A small left-to-right parser over number words: units and teens add,
 * "hundred" multiplies the running group, "thousand"/"million"/"billion"
 * close a group, "point" starts decimals read digit by digit, "and" is
 * allowed after hundred/thousand ("three hundred and five"). Two units in a
 * row ("two three") end the number, since speakers say separate numbers that
 * way. A number ending in million/billion keeps that word as its unit
 * ("1.5 million"), which reads better on a card than 1500000; "percent"
 * after a number makes the unit "%". Digits pass through ("42", "3.5"). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/content.h"

static const char *const small[] = {"zero", "one", "two", "three", "four", "five", "six",
                                    "seven", "eight", "nine", "ten", "eleven", "twelve",
                                    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                                    "eighteen", "nineteen"};
static const char *const tens[] = {"twenty", "thirty", "forty", "fifty",
                                   "sixty", "seventy", "eighty", "ninety"};

enum kind { K_NONE, K_SMALL, K_TENS, K_HUNDRED, K_BIG, K_POINT, K_DIGITS };

static int lookup(const char *w, double *v)
{
    for (int i = 0; i < 20; i++)
        if (!strcmp(w, small[i]))
            return *v = i, K_SMALL;
    for (int i = 0; i < 8; i++)
        if (!strcmp(w, tens[i]))
            return *v = 20 + 10 * i, K_TENS;
    if (!strcmp(w, "hundred"))
        return *v = 100, K_HUNDRED;
    if (!strcmp(w, "thousand"))
        return *v = 1e3, K_BIG;
    if (!strcmp(w, "million"))
        return *v = 1e6, K_BIG;
    if (!strcmp(w, "billion"))
        return *v = 1e9, K_BIG;
    if (!strcmp(w, "point"))
        return *v = 0, K_POINT;
    if (isdigit((unsigned char)w[0])) {
        char *end;
        *v = strtod(w, &end);
        return end != w && (!*end || !strcmp(end, "%")) ? K_DIGITS : K_NONE;
    }
    return K_NONE;
}

int content_is_number_word(const char *word)
{
    double v;
    int k = lookup(word, &v);
    return k != K_NONE && k != K_POINT;
}

int content_parse_number(const char *const *words, size_t n, double *value, char *unit,
                         size_t unit_len)
{
    double total = 0, group = 0, v, scale = 0.1, last_big = 0;
    int prev = K_NONE, any = 0, decimals = 0;
    size_t i = 0;

    unit[0] = '\0';
    *value = 0;
    for (; i < n; i++) {
        int k = lookup(words[i], &v);
        if (decimals) { /* after "point": digits one by one */
            if (k == K_SMALL && v < 10) {
                group += v * scale;
                scale /= 10;
                prev = K_SMALL;
                continue;
            }
            if (k != K_BIG)
                break;
        }
        if (k == K_NONE && !strcmp(words[i], "and") && (prev == K_HUNDRED || prev == K_BIG) &&
            i + 1 < n && lookup(words[i + 1], &v) != K_NONE && lookup(words[i + 1], &v) <= K_TENS)
            continue;
        if (k == K_NONE)
            break;
        if (k == K_DIGITS) {
            if (any)
                break;
            group = v;
            any = 1;
            prev = K_DIGITS;
            if (strchr(words[i], '%')) {
                i++;
                snprintf(unit, unit_len, "%%");
                *value = v;
                return (int)i;
            }
            continue;
        }
        if (k == K_SMALL && (prev == K_SMALL || prev == K_DIGITS))
            break;
        if (k == K_TENS && (prev == K_SMALL || prev == K_TENS || prev == K_DIGITS))
            break;
        if (k == K_POINT) {
            if (!any || i + 1 >= n || lookup(words[i + 1], &v) != K_SMALL || v >= 10)
                break;
            decimals = 1;
            prev = K_POINT;
            continue;
        }
        if (k == K_HUNDRED) {
            if (!any || prev == K_HUNDRED)
                break; /* "hundred" alone is not a number we can place */
            group *= 100;
        } else if (k == K_BIG) {
            if (!any || (last_big && v >= last_big))
                break;
            total += group * v;
            group = 0;
            last_big = v;
            decimals = 0;
        } else {
            group += v;
        }
        any = 1;
        prev = k;
    }
    if (!any)
        return 0;
    total += group;
    if (prev == K_BIG && last_big >= 1e6 && group == 0) {
        *value = total / last_big;
        snprintf(unit, unit_len, "%s", last_big >= 1e9 ? "billion" : "million");
    } else {
        *value = total;
    }
    if (i < n && !strcmp(words[i], "percent")) {
        snprintf(unit, unit_len, "%%");
        i++;
    } else if (i + 1 < n && !strcmp(words[i], "per") && !strcmp(words[i + 1], "cent")) {
        snprintf(unit, unit_len, "%%");
        i += 2;
    }
    return (int)i;
}
