/* thumbnails/thumbnails.json: every candidate with its time, components,
 * total and exclusion reason, the baseline (the frame at 10% of the video),
 * the picks with their score relative to the baseline, and the files.
 * Times are seconds on the source timeline. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "thumbnails/thumb.h"

static cJSON *candidate_json(const thumb_candidate *c)
{
    cJSON *o = cJSON_CreateObject(), *comp = cJSON_CreateObject();
    if (!o || !comp)
        goto fail;
    cJSON_AddNumberToObject(o, "time", (double)c->pts_us / 1e6);
    cJSON_AddNumberToObject(o, "frame", c->frame);
    cJSON_AddNumberToObject(o, "scene", c->scene);
    cJSON_AddNumberToObject(o, "total", c->total);
    cJSON_AddStringToObject(o, "excluded", thumb_exclusion_name(c->exclusion));
    for (int k = 0; k < THUMB_C_COUNT; k++)
        cJSON_AddNumberToObject(comp, thumb_component_name(k), c->comp[k]);
    cJSON_AddBoolToObject(comp, "eyes_measured", c->eyes_measured);
    cJSON_AddItemToObject(o, "components", comp);
    return o;
fail:
    cJSON_Delete(o);
    cJSON_Delete(comp);
    return NULL;
}

static cJSON *model_json(void)
{
    cJSON *w = cJSON_CreateObject();
    for (int k = 0; w && k < THUMB_C_COUNT; k++)
        cJSON_AddNumberToObject(w, thumb_component_name(k), thumb_component_weight(k));
    return w;
}

int thumb_json_write(ave_job *job, const thumb_report *r)
{
    cJSON *root = cJSON_CreateObject(), *arr, *picks, *files;
    const thumb_candidate *base = r->baseline >= 0 ? &r->cands[r->baseline] : NULL;
    char *text = NULL;
    int ret = AVE_ERR_NOMEM;

    if (!root)
        goto out;
    cJSON_AddStringToObject(root, "text", r->text);
    cJSON_AddStringToObject(root, "text_source", r->text_source);
    if (r->text_note)
        cJSON_AddStringToObject(root, "text_note", r->text_note);
    cJSON_AddStringToObject(root, "score_note",
                            "weighted picture-quality and composition score in 0..1; not a "
                            "predicted click-through rate (docs/THUMBNAILS.md)");
    cJSON_AddItemToObject(root, "weights", model_json());
    if (base) {
        cJSON *b = candidate_json(base);
        cJSON_AddItemToObject(root, "baseline", b);
        if (b)
            cJSON_AddStringToObject(b, "rule", "the frame at 10% of the video");
    } else {
        cJSON_AddNullToObject(root, "baseline");
    }
    if (r->recommended)
        cJSON_AddStringToObject(root, "recommended", r->recommended);
    else
        cJSON_AddNullToObject(root, "recommended");

    picks = cJSON_AddArrayToObject(root, "picks");
    for (size_t i = 0; picks && i < r->pick_count; i++) {
        const thumb_candidate *c = &r->cands[r->picks[i]];
        cJSON *o = candidate_json(c);
        if (!o)
            goto out;
        cJSON_AddNumberToObject(o, "rank", (double)i + 1);
        if (base) {
            cJSON_AddNumberToObject(o, "vs_baseline_difference", c->total - base->total);
            if (base->total > 0)
                cJSON_AddNumberToObject(o, "vs_baseline_ratio", c->total / base->total);
        }
        cJSON_AddItemToArray(picks, o);
    }
    files = cJSON_AddArrayToObject(root, "files");
    for (size_t i = 0; files && i < r->file_count; i++) {
        const thumb_written *f = &r->files[i];
        cJSON *o = cJSON_CreateObject(), *box;
        if (!o)
            goto out;
        cJSON_AddItemToArray(files, o);
        cJSON_AddStringToObject(o, "path", f->relpath);
        cJSON_AddStringToObject(o, "strategy", f->strategy);
        cJSON_AddNumberToObject(o, "time", (double)r->cands[f->cand].pts_us / 1e6);
        cJSON_AddNumberToObject(o, "score", r->cands[f->cand].total);
        cJSON_AddNumberToObject(o, "bytes", (double)f->bytes);
        box = cJSON_AddObjectToObject(o, "text_box");
        if (box) {
            cJSON_AddNumberToObject(box, "x", f->text_box.x);
            cJSON_AddNumberToObject(box, "y", f->text_box.y);
            cJSON_AddNumberToObject(box, "w", f->text_box.w);
            cJSON_AddNumberToObject(box, "h", f->text_box.h);
        }
    }
    arr = cJSON_AddArrayToObject(root, "candidates");
    for (size_t i = 0; arr && i < r->cand_count; i++) {
        cJSON *o = candidate_json(&r->cands[i]);
        if (!o)
            goto out;
        cJSON_AddItemToArray(arr, o);
    }
    if (!(text = cJSON_Print(root)))
        goto out;
    ret = ave_job_write_file(job, "thumbnails/thumbnails.json", text, strlen(text));
out:
    if (ret == AVE_ERR_NOMEM)
        ave_job_fail(job, ret, "thumbnails/thumbnails.json: out of memory");
    free(text);
    cJSON_Delete(root);
    return ret;
}
