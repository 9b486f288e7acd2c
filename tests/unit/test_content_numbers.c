/* Content: spoken numbers as PocketSphinx writes them, and the concept
 * patterns (definition, number with what it measures, enumeration, process,
 * comparison) on sentences with known answers. */
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "check.h"
#include "content/content.h"

/* Parse a space-separated phrase; returns words consumed. */
static int parse(const char *s, double *v, char *unit)
{
    char buf[256], *save = NULL;
    const char *w[32];
    size_t n = 0;
    snprintf(buf, sizeof(buf), "%s", s);
    for (char *p = strtok_r(buf, " ", &save); p && n < 32; p = strtok_r(NULL, " ", &save))
        w[n++] = p;
    return content_parse_number(w, n, v, unit, 16);
}

static void test_numbers(void)
{
    double v;
    char u[16];

    CHECK_EQ_INT(parse("forty two percent of people", &v, u), 3);
    CHECK_NEAR(v, 42, 1e-9);
    CHECK(!strcmp(u, "%"));
    CHECK_EQ_INT(parse("one point five million users", &v, u), 4);
    CHECK_NEAR(v, 1.5, 1e-9);
    CHECK(!strcmp(u, "million"));
    CHECK_EQ_INT(parse("three hundred", &v, u), 2);
    CHECK_NEAR(v, 300, 1e-9);
    CHECK(!strcmp(u, ""));
    CHECK_EQ_INT(parse("three hundred and twenty five cars", &v, u), 5);
    CHECK_NEAR(v, 325, 1e-9);
    CHECK_EQ_INT(parse("two thousand five hundred", &v, u), 4);
    CHECK_NEAR(v, 2500, 1e-9);
    CHECK_EQ_INT(parse("seventy per cent", &v, u), 3);
    CHECK_NEAR(v, 70, 1e-9);
    CHECK(!strcmp(u, "%"));
    CHECK_EQ_INT(parse("twenty billion", &v, u), 2);
    CHECK_NEAR(v, 20, 1e-9);
    CHECK(!strcmp(u, "billion"));
    CHECK_EQ_INT(parse("zero point two five", &v, u), 4);
    CHECK_NEAR(v, 0.25, 1e-9);
    CHECK_EQ_INT(parse("42% growth", &v, u), 1);
    CHECK_NEAR(v, 42, 1e-9);
    CHECK(!strcmp(u, "%"));
    CHECK_EQ_INT(parse("two three", &v, u), 1); /* two separate numbers */
    CHECK_NEAR(v, 2, 1e-9);
    CHECK_EQ_INT(parse("hundred people", &v, u), 0);
    CHECK_EQ_INT(parse("the point", &v, u), 0);
    CHECK_EQ_INT(parse("five point", &v, u), 1);
}

static const ave_concept *find(const ave_concept *c, size_t n, int kind, int nth)
{
    for (size_t i = 0; i < n; i++)
        if (c[i].kind == kind && nth-- == 0)
            return &c[i];
    return NULL;
}

static void test_concepts(void)
{
    static const char *text =
        "A volcano is an opening in the crust of a planet. "
        "About forty two percent of volcanoes are under the sea. "
        "There are three things to remember. First lava is hot rock. "
        "Second ash clouds travel far. Third gases escape quietly. "
        "Step one heat the water. Step two add the salt. "
        "Basalt is darker than granite. "
        "One of them erupted.";
    content_text t;
    ave_concept *c = NULL;
    size_t n = 0;
    const ave_concept *k;

    CHECK_EQ_INT(content_text_from_string(&t, text), 0);
    CHECK_EQ_INT(content_find_concepts(&t, 0.5f, &c, &n), 0);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "  %-11s %.2f label='%s' value=%g%s items=%d\n",
                content_concept_kind_name(c[i].kind), c[i].score, c[i].label, c[i].value,
                c[i].unit, c[i].item_count);
    CHECK((k = find(c, n, AVE_CONCEPT_DEFINITION, 0)) && !strcmp(k->label, "volcano"));
    CHECK((k = find(c, n, AVE_CONCEPT_NUMBER, 0)) && k->value == 42 && !strcmp(k->unit, "%") &&
          !strcmp(k->label, "of volcanoes") && k->score >= 0.8f);
    CHECK((k = find(c, n, AVE_CONCEPT_NUMBER, 1)) && k->value == 3 && k->score < 0.5f);
    CHECK(!find(c, n, AVE_CONCEPT_NUMBER, 2)); /* "one of them" is not a figure */
    k = find(c, n, AVE_CONCEPT_ENUMERATION, 0);
    CHECK(k && k->item_count == 3);
    if (k) {
        CHECK(!strcmp(k->items[0], "lava is hot rock"));
        CHECK(!strcmp(k->items[1], "ash clouds travel far"));
    }
    k = find(c, n, AVE_CONCEPT_PROCESS, 0);
    CHECK(k && k->item_count == 2 && !strcmp(k->items[0], "heat the water"));
    k = find(c, n, AVE_CONCEPT_COMPARISON, 0);
    CHECK(k && !strcmp(k->items[0], "basalt") && !strcmp(k->items[1], "granite"));
    for (size_t i = 1; i < n; i++)
        CHECK(c[i].start_us >= c[i - 1].start_us);
    free(c);
    content_text_free(&t);
}

/* A recogniser's transcript has no full stops: items must still end at the
 * next ordinal instead of running into it. */
static void test_enumeration_without_punctuation(void)
{
    static const char *text = "there are three things to do first read the chapter second "
                              "write a short summary third ask your teacher";
    content_text t;
    ave_concept *c = NULL;
    size_t n = 0;
    const ave_concept *k;

    CHECK_EQ_INT(content_text_from_string(&t, text), 0);
    CHECK_EQ_INT(content_find_concepts(&t, 0.5f, &c, &n), 0);
    k = find(c, n, AVE_CONCEPT_ENUMERATION, 0);
    CHECK(k && k->item_count == 3);
    if (k && k->item_count == 3) {
        CHECK(!strcmp(k->items[0], "read the chapter"));
        CHECK(!strcmp(k->items[1], "write a short summary"));
        CHECK(!strcmp(k->items[2], "ask your teacher"));
    }
    free(c);
    content_text_free(&t);
}

/* A card puts the speaker's words on screen: a concept whose card would
 * show an unsure word or figure is not offered; unsure words the card does
 * not show do not matter. */
static void test_unsure_concepts_left_out(void)
{
    static const char *text = "A volcano is an opening in the crust of a planet. "
                              "About forty two percent of volcanoes are under the sea. "
                              "There are three things to remember. First lava is hot rock. "
                              "Second ash clouds travel far. Third gases escape quietly. "
                              "Basalt is darker than granite and much older.";
    content_text t;
    ave_concept *c = NULL;
    size_t n = 0;
    const ave_concept *k;

    CHECK_EQ_INT(content_text_from_string(&t, text), 0);
    for (size_t i = 0; i < t.count; i++)
        if (!strcmp(t.tok[i].text, "volcanoes") || !strcmp(t.tok[i].text, "ash"))
            t.tok[i].conf = 0.31f; /* shown: the stat's label, a list item */
        else if (!strcmp(t.tok[i].text, "older") || !strcmp(t.tok[i].text, "the"))
            t.tok[i].conf = 0.2f; /* not shown / a stop word */
    CHECK_EQ_INT(content_find_concepts(&t, 0.5f, &c, &n), 0);
    CHECK(find(c, n, AVE_CONCEPT_DEFINITION, 0) != NULL);
    k = find(c, n, AVE_CONCEPT_NUMBER, 0);
    CHECK(!k || k->value != 42);
    CHECK(!find(c, n, AVE_CONCEPT_ENUMERATION, 0));
    CHECK(find(c, n, AVE_CONCEPT_COMPARISON, 0) != NULL);
    free(c);
    content_text_free(&t);

    /* an unsure figure: "forty" */
    CHECK_EQ_INT(content_text_from_string(&t, "About forty percent of rocks are basalt."), 0);
    t.tok[1].conf = 0.3f;
    CHECK_EQ_INT(content_find_concepts(&t, 0.5f, &c, &n), 0);
    CHECK(!find(c, n, AVE_CONCEPT_NUMBER, 0));
    free(c);
    content_text_free(&t);
}

int main(void)
{
    ave_log_set_level(AVE_LOG_QUIET);
    test_numbers();
    test_concepts();
    test_enumeration_without_punctuation();
    test_unsure_concepts_left_out();
    return CHECK_DONE();
}
