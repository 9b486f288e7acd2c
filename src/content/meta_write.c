/* metadata/metadata.json and metadata/description.txt.
 *
 * description.txt is ready to paste: the summary, the chapters (only when
 * YouTube would accept them: at least 3, the first at 0:00, each at least
 * 10 s long on the edited video), then the hashtags. metadata.json carries
 * everything with its evidence: keyphrase scores and counts, concepts with
 * source and edited times, chapters, title scores split into their parts,
 * tags with their kind, and where the text came from (offline or the AI
 * service, with the reason it fell back). Every published text carries its
 * reliability (the chance that its recognised words were heard right), and
 * the "reliability" object sums them up with the threshold they had to
 * pass, so a reader sees why a headline is missing or a title is neutral. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ave/ave.h"
#include "content/meta_write.h"
#include "core/dynbuf.h"

/* Far above any description (the summary, a line per chapter, hashtags). */
#define DESCRIPTION_MAX (1u << 20)

static const char *const tag_kinds[] = {"primary", "secondary", "long-tail"};

static double r3(double v)
{
    return (double)(int)(v * 1000 + .5) / 1000;
}

static void add_reliability(cJSON *root, const meta_json_in *in)
{
    const meta_package *m = in->pkg;
    double titles = 1, tags = 1;
    cJSON *r = cJSON_AddObjectToObject(root, "reliability");

    if (!r)
        return;
    for (int s = 0; s < META_STRATEGY_COUNT; s++)
        titles = m->titles[s].reliability < titles ? m->titles[s].reliability : titles;
    for (int i = 0; i < m->tag_count; i++)
        tags = m->tags[i].reliability < tags ? m->tags[i].reliability : tags;
    cJSON_AddNumberToObject(r, "threshold", in->min_reliability);
    cJSON_AddNumberToObject(r, "headline", r3(m->headline_reliability));
    cJSON_AddNumberToObject(r, "titles", r3(titles));
    cJSON_AddNumberToObject(r, "tags", r3(tags));
    cJSON_AddNumberToObject(r, "summary", r3(m->summary_reliability));
    cJSON_AddBoolToObject(r, "titles_neutral", m->neutral);
    if (!m->headline[0])
        cJSON_AddStringToObject(r, "headline_note",
                                "no keyphrase was heard reliably enough (reliability below the "
                                "threshold): no headline; thumbnails use --thumbnail-text, the "
                                "file name as words, or no text");
}

static double sec(int64_t us)
{
    return (double)(us / 1000) / 1000.0;
}

void meta_timestamp(int64_t us, char *out, size_t len)
{
    int64_t s = us / 1000000;
    if (s >= 3600)
        snprintf(out, len, "%d:%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
    else
        snprintf(out, len, "%d:%02d", (int)(s / 60), (int)(s % 60));
}

int meta_chapters_valid(const ave_chapter *ch, size_t n, int64_t edited_duration_us,
                        char *why, size_t whylen)
{
    if (n < 3) {
        snprintf(why, whylen, "YouTube needs at least 3 chapters; the talk has %zu topic(s)", n);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        int64_t end = i + 1 < n ? ch[i + 1].edited_start_us : edited_duration_us;
        if (end - ch[i].edited_start_us < 10000000) {
            snprintf(why, whylen, "chapter %zu is shorter than the 10 s YouTube requires", i + 1);
            return 0;
        }
    }
    why[0] = '\0';
    return 1;
}

char *meta_description(const meta_package *m, const ave_chapter *ch, size_t n, int with_chapters)
{
    dynbuf d = DYNBUF_INIT(DESCRIPTION_MAX);
    char ts[32], *out;

    dynbuf_printf(&d, "%s\n", m->summary);
    if (with_chapters) {
        dynbuf_adds(&d, "\nChapters:\n");
        for (size_t i = 0; i < n; i++) {
            meta_timestamp(ch[i].edited_start_us, ts, sizeof(ts));
            dynbuf_printf(&d, "%s %s\n", ts, ch[i].title);
        }
    }
    if (m->hashtag_count) {
        dynbuf_adds(&d, "\n");
        for (int i = 0; i < m->hashtag_count; i++)
            dynbuf_printf(&d, "%s%s", i ? " " : "", m->hashtags[i]);
        dynbuf_adds(&d, "\n");
    }
    return dynbuf_take(&d, &out, NULL) < 0 ? NULL : out;
}

static cJSON *concept_json(const ave_concept *c, const ave_timeline *tl)
{
    cJSON *o = cJSON_CreateObject(), *items;
    int64_t e = 0;

    if (!o)
        return NULL;
    ave_timeline_map(tl, c->start_us, &e);
    cJSON_AddStringToObject(o, "kind", content_concept_kind_name(c->kind));
    cJSON_AddNumberToObject(o, "start", sec(c->start_us));
    cJSON_AddNumberToObject(o, "end", sec(c->end_us));
    cJSON_AddNumberToObject(o, "edited_start", sec(e));
    cJSON_AddNumberToObject(o, "score", (double)(int)(c->score * 100 + 0.5) / 100);
    cJSON_AddStringToObject(o, "label", c->label);
    cJSON_AddStringToObject(o, "text", c->text);
    if (c->kind == AVE_CONCEPT_NUMBER) {
        cJSON_AddNumberToObject(o, "value", c->value);
        cJSON_AddStringToObject(o, "unit", c->unit);
    }
    if (c->item_count && (items = cJSON_AddArrayToObject(o, "items")))
        for (int i = 0; i < c->item_count; i++)
            cJSON_AddItemToArray(items, cJSON_CreateString(c->items[i]));
    return o;
}

char *meta_json(const meta_json_in *in)
{
    const ave_analysis *a = in->analysis;
    cJSON *root = cJSON_CreateObject(), *arr, *o, *parts, *ai;
    char *text = NULL, ts[32];

    if (!root)
        return NULL;
    cJSON_AddStringToObject(root, "source", in->ai_used ? "ai" : "offline");
    if ((ai = cJSON_AddObjectToObject(root, "ai_service"))) {
        cJSON_AddBoolToObject(ai, "configured", in->ai_configured);
        cJSON_AddBoolToObject(ai, "used", in->ai_used);
        if (in->ai_configured) {
            cJSON_AddStringToObject(ai, "model", in->ai_model ? in->ai_model : "");
            cJSON_AddBoolToObject(ai, "from_cache", in->ai_cache_hit);
        }
        if (in->ai_configured && !in->ai_used)
            cJSON_AddStringToObject(ai, "fallback_reason", in->ai_why);
    }
    cJSON_AddStringToObject(root, "headline", in->pkg->headline);
    add_reliability(root, in);
    if ((arr = cJSON_AddArrayToObject(root, "titles")))
        for (int s = 0; s < META_STRATEGY_COUNT; s++) {
            const meta_title *t = &in->pkg->titles[s];
            if (!(o = cJSON_CreateObject()))
                break;
            cJSON_AddItemToArray(arr, o);
            cJSON_AddStringToObject(o, "strategy", meta_strategy_name(s));
            cJSON_AddStringToObject(o, "text", t->text);
            cJSON_AddNumberToObject(o, "length", (double)strlen(t->text));
            cJSON_AddNumberToObject(o, "score", t->score);
            cJSON_AddNumberToObject(o, "reliability", r3(t->reliability));
            if ((parts = cJSON_AddObjectToObject(o, "score_parts"))) {
                cJSON_AddNumberToObject(parts, "keyword_coverage", t->coverage);
                cJSON_AddNumberToObject(parts, "length", (double)(int)(t->length_score * 1000 + .5) / 1000);
                cJSON_AddNumberToObject(parts, "number_or_question", t->hook);
            }
        }
    cJSON_AddStringToObject(root, "summary", in->pkg->summary);
    cJSON_AddStringToObject(root, "description", in->description);
    if ((arr = cJSON_AddArrayToObject(root, "tags")))
        for (int i = 0; i < in->pkg->tag_count; i++) {
            if (!(o = cJSON_CreateObject()))
                break;
            cJSON_AddItemToArray(arr, o);
            cJSON_AddStringToObject(o, "text", in->pkg->tags[i].text);
            cJSON_AddStringToObject(o, "kind", tag_kinds[in->pkg->tags[i].kind]);
            cJSON_AddNumberToObject(o, "reliability", r3(in->pkg->tags[i].reliability));
        }
    if ((arr = cJSON_AddArrayToObject(root, "hashtags")))
        for (int i = 0; i < in->pkg->hashtag_count; i++)
            cJSON_AddItemToArray(arr, cJSON_CreateString(in->pkg->hashtags[i]));
    cJSON_AddBoolToObject(root, "chapters_in_description", in->chapters_ok);
    if (!in->chapters_ok)
        cJSON_AddStringToObject(root, "chapters_note", in->chapters_why);
    if ((arr = cJSON_AddArrayToObject(root, "chapters")))
        for (size_t i = 0; i < a->chapter_count; i++) {
            if (!(o = cJSON_CreateObject()))
                break;
            cJSON_AddItemToArray(arr, o);
            meta_timestamp(a->chapters[i].edited_start_us, ts, sizeof(ts));
            cJSON_AddNumberToObject(o, "start", sec(a->chapters[i].start_us));
            cJSON_AddNumberToObject(o, "edited_start", sec(a->chapters[i].edited_start_us));
            cJSON_AddStringToObject(o, "timestamp", ts);
            cJSON_AddStringToObject(o, "title", a->chapters[i].title);
            cJSON_AddNumberToObject(o, "reliability", r3(a->chapters[i].reliability));
        }
    if ((arr = cJSON_AddArrayToObject(root, "keyphrases")))
        for (size_t i = 0; i < a->keyphrase_count; i++) {
            if (!(o = cJSON_CreateObject()))
                break;
            cJSON_AddItemToArray(arr, o);
            cJSON_AddStringToObject(o, "text", a->keyphrases[i].text);
            cJSON_AddNumberToObject(o, "score", (double)(int)(a->keyphrases[i].score * 1000 + .5) / 1000);
            cJSON_AddNumberToObject(o, "count", a->keyphrases[i].count);
            cJSON_AddNumberToObject(o, "reliability", r3(a->keyphrases[i].reliability));
            cJSON_AddBoolToObject(o, "publishable",
                                  a->keyphrases[i].reliability >= in->min_reliability);
        }
    if ((arr = cJSON_AddArrayToObject(root, "concepts")))
        for (size_t i = 0; i < a->concept_count; i++)
            if ((o = concept_json(&a->concepts[i], in->timeline)))
                cJSON_AddItemToArray(arr, o);
    text = cJSON_Print(root);
    cJSON_Delete(root);
    return text;
}
