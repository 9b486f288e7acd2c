/* What a card says: the wording of a planned card from its concept or
 * chapter (tag, heading, value, items, capitalised for display since the
 * recogniser's words are lower case), and the spoken words that triggered
 * it, for broll_plan.json. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "broll/broll.h"

static void copy_cap(char *dst, size_t len, const char *src)
{
    snprintf(dst, len, "%s", src ? src : "");
    if (dst[0] && (unsigned char)dst[0] < 128)
        dst[0] = (char)toupper((unsigned char)dst[0]);
}

static void format_value(const ave_concept *c, char *out, size_t len, double *fraction)
{
    double v = c->value;
    char num[24];

    snprintf(num, sizeof(num), "%.*f", fabs(v - round(v)) < 0.05 ? 0 : 1, v);
    *fraction = -1;
    if (!strcmp(c->unit, "%")) {
        snprintf(out, len, "%s%%", num);
        if (v >= 0 && v <= 100)
            *fraction = v / 100;
    } else if (c->unit[0]) {
        snprintf(out, len, "%s %s", num, c->unit);
    } else {
        snprintf(out, len, "%s", num);
    }
}

void broll_card_from_item(const ave_analysis *a, const broll_item *it, broll_card *card)
{
    const ave_concept *c = it->concept >= 0 ? &a->concepts[it->concept] : NULL;

    memset(card, 0, sizeof(*card));
    card->kind = it->kind;
    card->fraction = -1;
    if (it->kind == BROLL_TITLE) {
        snprintf(card->tag, sizeof(card->tag), "CHAPTER %d", it->chapter + 1);
        copy_cap(card->heading, sizeof(card->heading), a->chapters[it->chapter].title);
        return;
    }
    if (!c)
        return;
    copy_cap(card->heading, sizeof(card->heading), c->label);
    switch (it->kind) {
    case BROLL_STAT:
        snprintf(card->tag, sizeof(card->tag), "KEY NUMBER");
        format_value(c, card->value, sizeof(card->value), &card->fraction);
        if (!c->label[0])
            copy_cap(card->heading, sizeof(card->heading), c->text);
        break;
    case BROLL_LIST:
        if (c->kind == AVE_CONCEPT_PROCESS)
            snprintf(card->tag, sizeof(card->tag), "%d STEPS", c->item_count);
        else
            snprintf(card->tag, sizeof(card->tag), "%d KEY POINTS", c->item_count);
        break;
    case BROLL_COMPARE:
        snprintf(card->tag, sizeof(card->tag), "COMPARISON");
        /* "x vs y" would only repeat the two columns */
        if (c->item_count >= 2 && strstr(c->label, c->items[0]) && strstr(c->label, c->items[1]))
            card->heading[0] = '\0';
        break;
    default:
        snprintf(card->tag, sizeof(card->tag), "DEFINITION");
        copy_cap(card->body, sizeof(card->body), c->text);
        break;
    }
    /* a generic label ("key points") would only repeat the tag */
    {
        const char *t = strchr(card->tag, ' ');
        if (card->heading[0] && t && !strcasecmp(t + 1, card->heading))
            card->heading[0] = '\0';
    }
    card->item_count = c->item_count > AVE_CONCEPT_MAX_ITEMS ? AVE_CONCEPT_MAX_ITEMS : c->item_count;
    for (int i = 0; i < card->item_count; i++)
        copy_cap(card->items[i], sizeof(card->items[i]), c->items[i]);
}
