/* The "content" stage: transcript -> keyphrases, concepts, chapters and the
 * upload package (metadata/metadata.json, metadata/description.txt).
 *
 * Runs after `transcript`, when the timeline is final, so chapter times are
 * mapped to the edited video. Offline by default; when an AI service URL is
 * configured (api-url, e.g. AI_VIDEO_EDITOR_API_URL) titles and the summary
 * are drafted by it and the offline result is kept on any failure, with a
 * warning. Concepts are spotted with --enable-concept-detection, which is
 * on by default for --type educational. The B-roll stage reads the
 * concepts and chapters this stage leaves in job->analysis. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ave/ave.h"
#include "content/ai.h"
#include "content/content.h"
#include "content/content_shorts.h"
#include "content/meta_write.h"
#include "core/name_words.h"

typedef struct content_opts {
    int64_t max_chapters;
    double min_chapter_length;
    int64_t keyphrase_count;
    double min_word_confidence;
    double min_text_reliability;
    double sentence_pause;
    int64_t highlights;
    double highlight_length;
    char *api_url;
    char *api_key;
    char *api_model;
    double api_price_per_1k;
} content_opts;

#define OFF(f) offsetof(content_opts, f)
static const ave_option content_options[] = {
    {.name = "max-chapters", .type = AVE_OPT_INT, .offset = OFF(max_chapters), .def.i = 8,
     .min = 1, .max = 100, .stage = "content", .help = "at most this many chapters"},
    {.name = "min-chapter-length", .type = AVE_OPT_DOUBLE, .offset = OFF(min_chapter_length),
     .def.d = 30, .min = 10, .max = 3600, .stage = "content",
     .help = "shortest chapter in seconds (YouTube needs 10); unset: the edited length / "
             "(2 x --max-chapters), at least 10"},
    {.name = "keyphrase-count", .type = AVE_OPT_INT, .offset = OFF(keyphrase_count), .def.i = 20,
     .min = 3, .max = 200, .stage = "content", .help = "keyphrases kept in metadata.json"},
    {.name = "min-word-confidence", .type = AVE_OPT_DOUBLE, .offset = OFF(min_word_confidence),
     .def.d = 0.05, .min = 0, .max = 1, .stage = "content",
     .help = "words the recogniser was less sure of are left out of keyphrases and chapters"},
    {.name = "min-text-reliability", .type = AVE_OPT_DOUBLE, .offset = OFF(min_text_reliability),
     .def.d = 0.9, .min = 0, .max = 1, .stage = "content",
     .help = "published text (headline, titles, tags, description, chapter titles) uses only "
             "keyphrases and sentences at least this likely to be heard right"},
    {.name = "sentence-pause", .type = AVE_OPT_DOUBLE, .offset = OFF(sentence_pause),
     .def.d = 0.3, .min = 0.05, .max = 5, .stage = "content",
     .help = "a pause this long (seconds) ends a sentence in unpunctuated transcripts"},
    {.name = "highlights", .type = AVE_OPT_INT, .offset = OFF(highlights), .def.i = 0,
     .min = 0, .max = 20, .stage = "content",
     .help = "pick this many highlights (whole sentences) for shorts: shorts/highlights.json, "
             "markers in the NLE exports, a report section"},
    {.name = "highlight-length", .type = AVE_OPT_DOUBLE, .offset = OFF(highlight_length),
     .def.d = 60, .min = 5, .max = 600, .stage = "content",
     .help = "longest highlight in seconds of the edit; the shortest is a quarter of it, at "
             "least 5 (15-60 s by default)"},
    {.name = "api-url", .type = AVE_OPT_STRING, .offset = OFF(api_url), .def.s = NULL,
     .stage = "content", .flags = AVE_OPTF_NO_RESULT,
     .help = "OpenAI-compatible chat-completions service that drafts titles and the "
             "description (AI_VIDEO_EDITOR_API_URL); offline when unset"},
    {.name = "api-key", .type = AVE_OPT_STRING, .offset = OFF(api_key), .def.s = NULL,
     .stage = "content", .flags = AVE_OPTF_NO_RESULT | AVE_OPTF_SECRET,
     .help = "key for --api-url (prefer AI_VIDEO_EDITOR_API_KEY: flags show in ps)"},
    {.name = "api-model", .type = AVE_OPT_STRING, .offset = OFF(api_model),
     .def.s = "gpt-4o-mini", .stage = "content", .flags = AVE_OPTF_NO_RESULT,
     .help = "model name sent to --api-url"},
    {.name = "api-price-per-1k", .type = AVE_OPT_DOUBLE, .offset = OFF(api_price_per_1k),
     .def.d = 0, .min = 0, .max = 1000, .stage = "content", .flags = AVE_OPTF_NO_RESULT,
     .help = "USD per 1000 tokens, for total_api_cost"},
    {.name = NULL},
};
#undef OFF

static int content_enabled(const ave_job *job, const void *opts)
{
    (void)opts;
    return job->analysis.word_count > 0;
}

static int concepts_enabled(const ave_job *job)
{
    if (job->settings &&
        ave_settings_source(job->settings, "enable-concept-detection") == AVE_SRC_DEFAULT)
        return job->cfg->enable_concept_detection || job->cfg->content_type == AVE_TYPE_EDUCATIONAL;
    return job->cfg->enable_concept_detection;
}

/* Title each chapter with its best keyphrase reliable enough to publish
 * that no earlier chapter uses; "Part N" when there is none. */
static int title_chapters(const content_text *t, const size_t *starts, size_t n,
                          ave_chapter *ch, double min_rel)
{
    for (size_t i = 0; i < n; i++) {
        size_t to = i + 1 < n ? starts[i + 1] : t->count;
        ave_keyphrase *kp = NULL;
        size_t kc = 0;
        int ret = kp_extract(t, starts[i], to, 8, &kp, &kc);
        if (ret < 0)
            return ret;
        snprintf(ch[i].title, sizeof(ch[i].title), "Part %zu", i + 1);
        ch[i].reliability = 1; /* no recognised word in it */
        for (size_t k = 0; k < kc; k++) {
            char title[96];
            int used = kp[k].reliability < min_rel;
            meta_title_case(kp[k].text, title, sizeof(title));
            for (size_t j = 0; j < i && !used; j++)
                used = !strcasecmp(ch[j].title, title);
            if (!used) {
                snprintf(ch[i].title, sizeof(ch[i].title), "%s", title);
                ch[i].reliability = kp[k].reliability;
                break;
            }
        }
        free(kp);
    }
    return 0;
}

static int chapters(ave_job *job, const content_opts *o, const content_text *t)
{
    chap_params p;
    size_t *starts = NULL, n = 0;
    ave_chapter *ch;
    int ret;

    chap_params_default(&p);
    p.max_chapters = (size_t)o->max_chapters;
    p.min_len_us = (int64_t)(o->min_chapter_length * 1e6);
    if (job->settings &&
        ave_settings_source(job->settings, "min-chapter-length") == AVE_SRC_DEFAULT)
        p.min_len_us = chap_min_length(ave_timeline_kept_duration(&job->timeline), p.max_chapters);
    if ((ret = chap_segment(t, &p, &starts, &n)) < 0)
        return ret;
    if (!(ch = calloc(n ? n : 1, sizeof(*ch)))) {
        free(starts);
        return AVE_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        ch[i].start_us = i ? t->tok[starts[i]].start_us : 0;
        if (ave_timeline_map(&job->timeline, ch[i].start_us, &ch[i].edited_start_us) < 0)
            ch[i].edited_start_us = 0;
    }
    ret = title_chapters(t, starts, n, ch, o->min_text_reliability);
    free(starts);
    if (ret < 0) {
        free(ch);
        return ret;
    }
    job->analysis.chapters = ch;
    job->analysis.chapter_count = n;
    return 0;
}

static int write_outputs(ave_job *job, const meta_package *m, const meta_json_in *in_tmpl)
{
    char why[160];
    const ave_analysis *a = &job->analysis;
    int ok = meta_chapters_valid(a->chapters, a->chapter_count,
                                 ave_timeline_kept_duration(&job->timeline), why, sizeof(why));
    char *desc = meta_description(m, a->chapters, a->chapter_count, ok), *json = NULL;
    meta_json_in in = *in_tmpl;
    int ret = AVE_ERR_NOMEM;

    if (!ok)
        ave_log(AVE_LOG_INFO, CONTENT_LOG, "chapters left out of the description: %s", why);
    if (!desc)
        goto out;
    in.pkg = m;
    in.description = desc;
    in.chapters_ok = ok;
    in.chapters_why = why;
    if (!(json = meta_json(&in)))
        goto out;
    if ((ret = ave_job_write_file(job, "metadata/metadata.json", json, strlen(json))) < 0 ||
        (ret = ave_job_write_file(job, "metadata/description.txt", desc, strlen(desc))) < 0)
        goto out;
    ave_job_metric_bool(job, CONTENT_LOG, "chapters_in_description", ok);
out:
    free(desc);
    free(json);
    return ret;
}

/* The keyphrases reliable enough to publish, best first (*out malloc'd,
 * caller frees; NULL when there are none). */
static int publishable(const ave_analysis *a, double min_rel, ave_keyphrase **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!a->keyphrase_count)
        return 0;
    if (!(*out = malloc(a->keyphrase_count * sizeof(**out))))
        return AVE_ERR_NOMEM;
    for (size_t i = 0; i < a->keyphrase_count; i++)
        if (a->keyphrases[i].reliability >= min_rel)
            (*out)[(*n)++] = a->keyphrases[i];
    return 0;
}

/* What a title says when nothing heard is sure enough: the file name as
 * words, else what the video is. */
static void neutral_title(const ave_job *job, char *out, size_t len)
{
    if (ave_name_words(job->input_name, out, len))
        return;
    snprintf(out, len, "%s", job->cfg->content_type == AVE_TYPE_EDUCATIONAL ? "Lecture"
                             : job->cfg->content_type == AVE_TYPE_MUSIC     ? "Performance"
                                                                             : "Video");
}

static int content_run(void *priv, const void *opts, ave_job *job)
{
    const content_opts *o = opts;
    ave_analysis *a = &job->analysis;
    content_text t = {0};
    meta_package *m = NULL;
    meta_json_in in = {.analysis = a, .timeline = &job->timeline};
    ai_stats st = {0};
    char why[512] = "", neutral[96];
    ave_keyphrase *pub = NULL;
    size_t npub = 0;
    int ret;

    (void)priv;
    if (!o)
        return ave_job_fail(job, AVE_ERR_INTERNAL, "content: options missing");
    if ((ret = content_text_from_words(&t, a->words, a->word_count,
                                       (int64_t)(o->sentence_pause * 1e6),
                                       (float)o->min_word_confidence)) < 0)
        goto nomem;
    if ((ret = content_calibrate_text(&t, a->asr_engine)) < 0)
        goto nomem;
    if ((ret = kp_extract(&t, 0, t.count, (size_t)o->keyphrase_count, &a->keyphrases,
                          &a->keyphrase_count)) < 0)
        goto nomem;
    if (concepts_enabled(job) &&
        (ret = content_find_concepts(&t, CONTENT_MIN_QUOTED_RELIABILITY, &a->concepts, &a->concept_count)) < 0)
        goto nomem;
    if ((ret = ave_job_progress(job, 0.3)) != 0)
        goto out;
    if ((ret = chapters(job, o, &t)) < 0)
        goto nomem;
    neutral_title(job, neutral, sizeof(neutral));
    if ((ret = publishable(a, o->min_text_reliability, &pub, &npub)) < 0 ||
        (ret = kp_order_for_titles(pub, npub)) < 0 || !(m = malloc(sizeof(*m))) ||
        (ret = meta_build(m, pub, npub, a->concepts, a->concept_count, a->chapter_count,
                          neutral)) < 0 ||
        (ret = meta_summarise(&t, pub, npub, CONTENT_MIN_QUOTED_RELIABILITY, m->summary,
                              sizeof(m->summary), &m->summary_reliability)) < 0)
        goto nomem;
    in.min_reliability = o->min_text_reliability;
    if (m->neutral)
        ave_log(AVE_LOG_INFO, CONTENT_LOG,
                "no keyphrase was heard reliably enough to publish (%zu found, none at %.2f); "
                "titles are \"%s\", no headline or tags", a->keyphrase_count,
                o->min_text_reliability, neutral);
    if ((ret = ave_job_progress(job, 0.5)) != 0)
        goto out;
    in.ai_configured = o->api_url && o->api_url[0];
    in.ai_model = o->api_model;
    /* Without a sure keyphrase the service would only dress up guesses. */
    if (in.ai_configured && m->neutral) {
        in.ai_why = "no keyphrase reliable enough to publish; the service was not asked";
    } else if (in.ai_configured) {
        ai_service svc = {.url = o->api_url, .key = o->api_key,
                          .model = o->api_model ? o->api_model : "gpt-4o-mini",
                          .timeout_s = job->cfg->api_timeout_s,
                          .rate_per_min = job->cfg->api_rate_limit,
                          .price_per_1k = o->api_price_per_1k, .max_retries = 3,
                          .backoff_s = job->cfg->api_retry_delay_s};
        ret = ai_draft(job, &svc, pub, npub, a->chapters, a->chapter_count, &t, m, &st, why,
                       sizeof(why));
        if (ret == AVE_ERR_TIMEOUT || ret == AVE_ERR_CANCELLED)
            goto out; /* the job must stop, not fall back */
        in.ai_used = ret == 0;
        in.ai_cache_hit = st.cache_hit;
        in.ai_why = why;
        if (ret < 0)
            ave_log(AVE_LOG_WARNING, CONTENT_LOG, "AI service failed (%s); using the offline "
                    "titles and description", why);
        ave_job_metric_number(job, CONTENT_LOG, "api_requests", st.requests);
        ave_job_metric_number(job, CONTENT_LOG, "api_retries", st.retries);
        ave_job_metric_number(job, CONTENT_LOG, "api_tokens", st.tokens);
        ave_job_metric_bool(job, CONTENT_LOG, "api_tokens_estimated", st.tokens_estimated);
        ave_job_metric_bool(job, CONTENT_LOG, "api_cache_hit", st.cache_hit);
        if (ret < 0)
            ave_job_metric_string(job, CONTENT_LOG, "ai_fallback_reason", why);
    }
    ave_job_metric_bool(job, CONTENT_LOG, "ai_used", in.ai_used);
    free(a->headline);
    a->headline = NULL; /* none unless one was heard reliably: thumbnails fall back */
    if (m->headline[0] && !(a->headline = strdup(m->headline)))
        goto nomem;
    ave_job_metric_number(job, CONTENT_LOG, "publishable_keyphrases", (double)npub);
    ave_job_metric_number(job, CONTENT_LOG, "headline_reliability", m->headline_reliability);
    if ((ret = write_outputs(job, m, &in)) < 0 ||
        (ret = content_pick_highlights(job, &t, (size_t)o->highlights, o->highlight_length,
                                       o->min_text_reliability)) < 0)
        goto out;
    ave_job_metric_number(job, CONTENT_LOG, "keyphrases", (double)a->keyphrase_count);
    ave_job_metric_number(job, CONTENT_LOG, "concepts", (double)a->concept_count);
    ave_job_metric_number(job, CONTENT_LOG, "chapters", (double)a->chapter_count);
    ave_log(AVE_LOG_VERBOSE, CONTENT_LOG, "%zu keyphrases, %zu concepts, %zu chapters%s",
            a->keyphrase_count, a->concept_count, a->chapter_count,
            in.ai_used ? ", titles by the AI service" : "");
    ret = 0;
    goto out;
nomem:
    ret = ret == AVE_ERR_NOMEM || ret == 0 ? ave_job_fail(job, AVE_ERR_NOMEM, "content: out of memory")
                                           : ret;
out:
    free(m);
    free(pub);
    content_text_free(&t);
    return ret;
}

const ave_stage ave_stage_content = {
    .name = "content",
    .description = "keyphrases, concepts, chapters, titles/description/tags (metadata/)",
    .flags = AVE_STAGE_ANALYSIS,
    .weight = 0.2,
    .options = content_options,
    .opts_size = sizeof(content_opts),
    .enabled = content_enabled,
    .run = content_run,
};
