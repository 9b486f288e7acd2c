/* Beat sync and target-duration trimming for music (see beat_sync.h).
 *
 * Runs after the plan has enforced minimum lengths and snapped to frames,
 * and redoes the frame rounding itself (nearest frame, as the plan does), so
 * a boundary ends within half a frame of its beat. Trimming works in whole
 * bars, so every join is downbeat to downbeat and render's crossfade (centred
 * on the join) blends two bar starts. Speech content: beat sync would apply to
 * B-roll points, which do not exist yet, so speech cuts stay where they are
 * (moving them onto beats would clip words). Assumes the beats stage ran
 * earlier in the same job; without a grid everything is left as it was. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/mathematics.h>

#include "ave/ave.h"
#include "plan/beat_sync.h"

#define STAGE "plan"

int64_t beat_sync_snap(int64_t t, const int64_t *grid, size_t n, int64_t tol_us)
{
    size_t lo = 0, hi = n;
    int64_t best;

    if (n == 0)
        return t;
    while (lo < hi) { /* first grid point >= t */
        size_t mid = lo + (hi - lo) / 2;
        if (grid[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == n)
        best = grid[n - 1];
    else if (lo == 0)
        best = grid[0];
    else
        best = t - grid[lo - 1] <= grid[lo] - t ? grid[lo - 1] : grid[lo];
    return llabs(best - t) <= tol_us ? best : t;
}

int64_t beat_sync_frame(int64_t t, int fps_num, int fps_den)
{
    const int64_t per = (int64_t)fps_den * 1000000;
    int64_t k;

    if (fps_num <= 0 || fps_den <= 0)
        return t;
    k = av_rescale_rnd(t, fps_num, per, AV_ROUND_NEAR_INF);
    return av_rescale_rnd(k, per, fps_num, AV_ROUND_NEAR_INF);
}

/* Bars of section s: [*a, *b) by midpoint. */
static void section_bars(const beat_sync_bar *bars, size_t n, const ave_music_section *s,
                         size_t *a, size_t *b)
{
    *a = n;
    *b = n;
    for (size_t i = 0; i < n; i++) {
        int64_t mid = bars[i].start_us + (bars[i].end_us - bars[i].start_us) / 2;
        int in = mid >= s->start_us && mid < s->end_us;
        if (in && *a == n)
            *a = i;
        if (!in && *a != n) {
            *b = i;
            return;
        }
    }
}

static double power(double db)
{
    return pow(10.0, db / 10.0);
}

int beat_sync_select(const beat_sync_bar *bars, size_t n, const ave_music_section *secs,
                     size_t nsec, int64_t target_us, unsigned char *keep, int64_t *kept_us)
{
    size_t *order = NULL;
    int64_t total = 0, left = target_us;

    if ((n && (!bars || !keep)) || !kept_us || target_us <= 0)
        return AVE_ERR_USAGE;
    *kept_us = 0;
    for (size_t i = 0; i < n; i++)
        total += bars[i].end_us - bars[i].start_us;
    if (total <= target_us || nsec == 0) {
        for (size_t i = 0; i < n; i++)
            keep[i] = total <= target_us;
        *kept_us = total <= target_us ? total : 0;
        return 0;
    }
    memset(keep, 0, n);
    if (!(order = malloc(nsec * sizeof(*order))))
        return AVE_ERR_NOMEM;
    for (size_t i = 0; i < nsec; i++)
        order[i] = i;
    for (size_t i = 1; i < nsec; i++) /* loudest first; few sections */
        for (size_t j = i; j > 0 && secs[order[j]].energy_db > secs[order[j - 1]].energy_db; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (size_t r = 0; r < nsec && left > 0; r++) {
        size_t a, b;
        int64_t len = 0;

        section_bars(bars, n, &secs[order[r]], &a, &b);
        if (a >= b)
            continue;
        for (size_t i = a; i < b; i++)
            len += bars[i].end_us - bars[i].start_us;
        if (len <= left) {
            memset(keep + a, 1, b - a);
            left -= len;
            continue;
        }
        /* Partial: m bars, m chosen so the total lands nearest the target. */
        size_t m = 0, best_i = a;
        int64_t acc = 0;
        while (a + m < b) {
            int64_t bl = bars[a + m].end_us - bars[a + m].start_us;
            if (acc + bl > left && acc + bl - left > left - acc)
                break;
            acc += bl;
            m++;
        }
        if (m == 0)
            break;
        double best = -1;
        for (size_t i = a; i + m <= b; i++) {
            double e = 0;
            for (size_t j = i; j < i + m; j++)
                e += power(bars[j].energy_db);
            if (e > best) {
                best = e;
                best_i = i;
            }
        }
        memset(keep + best_i, 1, m);
        break;
    }
    for (size_t i = 0; i < n; i++)
        if (keep[i])
            *kept_us += bars[i].end_us - bars[i].start_us;
    free(order);
    return 0;
}

/* RMS level of [a, b) of the analysis audio, dBFS (-120 when empty). */
static double pcm_level(const ave_pcm *pcm, int64_t a_us, int64_t b_us)
{
    size_t a, b;
    double sum = 0;

    if (!pcm->samples || pcm->sample_rate <= 0)
        return -120;
    a = (size_t)(a_us * pcm->sample_rate / 1000000);
    b = (size_t)(b_us * pcm->sample_rate / 1000000);
    if (b > pcm->count)
        b = pcm->count;
    if (a >= b)
        return -120;
    for (size_t i = a; i < b; i++)
        sum += (double)pcm->samples[i] * pcm->samples[i];
    sum /= (double)(b - a) * 32768.0 * 32768.0;
    return sum > 1e-12 ? 10 * log10(sum) : -120;
}

typedef struct grid_ctx {
    int frames; /* snap to the frame grid */
    int fps_num, fps_den;
} grid_ctx;

static int64_t on_frames(const grid_ctx *g, int64_t t)
{
    return g->frames ? beat_sync_frame(t, g->fps_num, g->fps_den) : t;
}

/* Replace job->timeline with its segments moved to new boundaries nb[1..count)
 * (nb[0] = 0, nb[count] = duration); segments that collapse disappear. */
static int rebuild(ave_job *job, const int64_t *nb)
{
    ave_timeline *tl = &job->timeline, nt = {0};
    int ret;

    if ((ret = ave_timeline_init(&nt, tl->duration_us)) < 0)
        return ret;
    for (size_t i = 0; i < tl->count; i++)
        if (!tl->segs[i].keep && nb[i + 1] > nb[i] &&
            (ret = ave_timeline_cut(&nt, nb[i], nb[i + 1], tl->segs[i].reason)) < 0) {
            ave_timeline_free(&nt);
            return ret;
        }
    ave_timeline_free(tl);
    *tl = nt;
    return 0;
}

static int trim_to_target(ave_job *job, const ave_config *o, const grid_ctx *g)
{
    const ave_beats *b = &job->analysis.beats;
    ave_timeline *tl = &job->timeline;
    const int64_t target = (int64_t)(o->target_duration_s * 1e6 + 0.5);
    size_t n = b->downbeat_count > 1 ? b->downbeat_count - 1 : 0;
    beat_sync_bar *bars = NULL;
    unsigned char *keep = NULL;
    int64_t kept = 0, prev_end = 0;
    int ret = 0;

    if (ave_timeline_kept_duration(tl) <= target)
        return 0;
    if (n == 0) {
        ave_log(AVE_LOG_WARNING, STAGE, "--target-duration: no bar grid, length left as is");
        return 0;
    }
    bars = malloc(n * sizeof(*bars));
    keep = malloc(n);
    if (!bars || !keep) {
        ret = ave_job_fail(job, AVE_ERR_NOMEM, "%s: out of memory", job->input_path);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        bars[i].start_us = on_frames(g, b->downbeats_us[i]);
        bars[i].end_us = on_frames(g, b->downbeats_us[i + 1]);
        bars[i].energy_db = pcm_level(&job->analysis.audio, bars[i].start_us, bars[i].end_us);
    }
    if ((ret = beat_sync_select(bars, n, b->sections, b->section_count, target, keep, &kept)) < 0)
        goto out;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && !keep[i])
            continue;
        int64_t gap_end = i < n ? bars[i].start_us : tl->duration_us;
        if (gap_end > prev_end &&
            (ret = ave_timeline_cut(tl, prev_end, gap_end, AVE_REASON_TRIM)) < 0)
            goto out;
        if (i < n)
            prev_end = bars[i].end_us;
    }
    ave_log(AVE_LOG_INFO, STAGE, "target %.2f s: kept %.2f s of whole bars",
            o->target_duration_s, (double)kept / 1e6);
    ave_job_metric_number(job, "beats", "target_kept_s", (double)kept / 1e6);
out:
    if (ret < 0 && ret != AVE_ERR_NOMEM)
        ret = ave_job_fail(job, ret, "%s: cannot trim to the target duration", job->input_path);
    free(bars);
    free(keep);
    return ret;
}

static int snap_cuts(ave_job *job, const ave_config *o, const grid_ctx *g)
{
    const ave_beats *b = &job->analysis.beats;
    const ave_timeline *tl = &job->timeline;
    const int bars = o->beat_sync_to == AVE_BEAT_SYNC_BARS && b->downbeat_count > 0;
    const int64_t *grid = bars ? b->downbeats_us : b->beats_us;
    const size_t n = bars ? b->downbeat_count : b->beat_count;
    const int64_t tol =
        o->beat_tolerance_s > 0 ? (int64_t)(o->beat_tolerance_s * 1e6 + 0.5) : INT64_MAX;
    int64_t *nb = malloc((tl->count + 1) * sizeof(*nb));
    size_t moved = 0;
    int ret;

    if (!nb)
        return ave_job_fail(job, AVE_ERR_NOMEM, "%s: out of memory", job->input_path);
    nb[0] = 0;
    nb[tl->count] = tl->duration_us;
    for (size_t i = 1; i < tl->count; i++) {
        int64_t t = tl->segs[i].start_us, s = beat_sync_snap(t, grid, n, tol);
        if (s != t)
            s = on_frames(g, s);
        if (s < nb[i - 1]) /* never cross the previous boundary */
            s = nb[i - 1];
        moved += s != t;
        nb[i] = s;
    }
    ret = rebuild(job, nb);
    free(nb);
    if (ret < 0)
        return ave_job_fail(job, ret, "%s: cannot move cuts onto the beat", job->input_path);
    ave_log(AVE_LOG_INFO, STAGE, "beat sync: %zu cut boundar%s moved onto the %s", moved,
            moved == 1 ? "y" : "ies", bars ? "bars" : "beats");
    ave_job_metric_number(job, "beats", "synced_boundaries", (double)moved);
    return 0;
}

int beat_sync_apply(ave_job *job)
{
    const ave_beats *b = &job->analysis.beats;
    const ave_config *cfg = job->cfg;
    const ave_media_info *mi = &job->media;
    grid_ctx g = {mi->has_video && !mi->vfr && mi->fps_num > 0 && mi->fps_den > 0, mi->fps_num,
                  mi->fps_den};
    int music, ret;

    if (!cfg || (!cfg->enable_beat_sync && cfg->target_duration_s <= 0))
        return 0;
    music = cfg->content_type == AVE_TYPE_MUSIC ||
            (cfg->content_type == AVE_TYPE_GENERAL && b->confidence >= AVE_MUSIC_CONFIDENCE);
    if (!music) {
        ave_log(AVE_LOG_INFO, STAGE,
                "not music (confidence %.2f): speech cuts are not moved onto beats and "
                "--target-duration does not apply",
                b->confidence);
        return 0;
    }
    if (b->beat_count == 0) {
        ave_log(AVE_LOG_WARNING, STAGE, "no beat grid: cuts stay where they are");
        return 0;
    }
    if (cfg->target_duration_s > 0 && (ret = trim_to_target(job, cfg, &g)) < 0)
        return ret;
    if (cfg->enable_beat_sync && job->timeline.count > 1 && (ret = snap_cuts(job, cfg, &g)) < 0)
        return ret;
    return 0;
}
