/* Scanning one row of detection windows: the cascade's stages run for
 * FACE_LANES neighbouring windows at once, until every lane has failed or
 * passed them all.
 *
 * Why: almost every window dies in the first three or four stages, and
 * neighbouring windows read neighbouring integral-image elements (the
 * layouts of face_integral and face_integral_split make them consecutive at
 * both 1- and 2-pixel steps), so one vector load serves FACE_LANES windows.
 * Each lane performs exactly the scalar evaluator's float operations in
 * the same order (rectangle sums are exact in float: below 2^24), so the
 * detections are bit for bit those of face_eval_stumps. OpenCV's "skip
 * the next window after a stage-0 failure" rule is applied afterwards, in
 * order, from the lanes' results.
 *
 * Vectors use GCC/Clang vector extensions (no intrinsics: the compiler
 * picks SSE2, AVX2 or NEON); other compilers, or -DAVE_FACE_SCALAR, get
 * the scalar loop. On x86-64 GCC also builds an AVX2 clone chosen at load
 * time (not in sanitizer builds, which check the portable code). Measured
 * at 320x180 on one core: scalar 40-60 frames/s, SSE2 60-90, AVX2 150-180. */
#include <string.h>

#include "vision/face_internal.h"

/* Vector work continues while at least this many lanes are alive, the
 * rest finishing one by one. Measured: 1 is fastest (122 frames/s against
 * 99 for 2 and 86 for 3): a vector stage costs about one scalar window. */
#define MIN_ALIVE 1

#if defined(__GNUC__) && !defined(AVE_FACE_SCALAR)

#define FACE_LANES 8
/* Every function handling vectors is inlined into face_scan_row: no vector
 * crosses a call (whose ABI would depend on the target) and each target
 * clone gets its own instructions. */
#define VEC_FN static inline __attribute__((always_inline))
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wunknown-warning-option"
#endif
#pragma GCC diagnostic ignored "-Wpsabi" /* about calls that never happen (inlined) */
typedef float vf __attribute__((vector_size(FACE_LANES * sizeof(float))));
typedef int32_t vi __attribute__((vector_size(FACE_LANES * sizeof(int32_t))));
typedef uint32_t vu __attribute__((vector_size(FACE_LANES * sizeof(uint32_t))));

/* Unaligned load of FACE_LANES consecutive elements. */
VEC_FN vu load(const uint32_t *p)
{
    vu v;
    memcpy(&v, p, sizeof(v));
    return v;
}

VEC_FN vf rect(const uint32_t *p, const int32_t o[4])
{
    vu d = load(p + o[0]) - load(p + o[1]) - load(p + o[2]) + load(p + o[3]);
    return __builtin_convertvector((vi)d, vf);
}

/* acc += lanes where v * inv < threshold ? left : right. */
VEC_FN void stump_add(vf *acc, const vf *v, const vf *inv, const face_stump *sp)
{
    vf zero = {0};
    vi lt = *v * *inv < zero + sp->threshold;
    vi l = (vi)(zero + sp->left), r = (vi)(zero + sp->right);
    *acc += (vf)((l & lt) | (r & ~lt));
}

/* Runs stages 0.. on the lanes of *alive (-1 per live lane) until fewer
 * than MIN_ALIVE lanes live; stage[] receives each lane's failing stage, or
 * the stage to continue from for lanes still alive (alive[] -1). */
VEC_FN void lanes_run(const face_eval *ev, const uint32_t *sum, const vf *inv_p, vi *alive_io,
                      int32_t stage[FACE_LANES])
{
    const ave_cascade *c = ev->cascade;
    const face_stump *stumps = ev->stumps;
    vf inv = *inv_p;
    vi alive = *alive_io, failed_at = {0}, zero = {0};
    vf fzero = {0};
    int si = 0;

    for (; si < c->nstages; si++) {
        const face_stage *st = &c->stages[si];
        const face_stump *sp = stumps + st->first_tree;
        int32_t a[FACE_LANES], live = 0;
        vf acc = {0};
        for (const face_stump *end = sp + ev->st2[si]; sp < end; sp++) {
            vf v = rect(sum, sp->ofs[0]) * (float)sp->weight[0] +
                   rect(sum, sp->ofs[1]) * (float)sp->weight[1];
            stump_add(&acc, &v, &inv, sp);
        }
        for (const face_stump *end = stumps + st->first_tree + st->ntrees; sp < end; sp++) {
            vf v = rect(sum, sp->ofs[0]) * (float)sp->weight[0] +
                   rect(sum, sp->ofs[1]) * (float)sp->weight[1] +
                   rect(sum, sp->ofs[2]) * (float)sp->weight[2];
            stump_add(&acc, &v, &inv, sp);
        }
        vi fail = alive & (acc < fzero + st->threshold);
        failed_at = (failed_at & ~fail) | (fail & (zero + si));
        alive &= ~fail;
        memcpy(a, &alive, sizeof(a));
        for (int i = 0; i < FACE_LANES; i++)
            live -= a[i];
        if (live < MIN_ALIVE) {
            si++;
            break;
        }
    }
    /* Lanes alive past the last stage are detections: face_eval_stumps
     * from nstages returns 1 for them. */
    failed_at = (failed_at & ~alive) | (alive & (zero + si));
    memcpy(stage, &failed_at, sizeof(int32_t) * FACE_LANES);
    *alive_io = alive;
}

/* Not under TSan either: the clone resolver runs during relocation, before
 * the TSan runtime exists, and its instrumented entry crashed every program. */
#if defined(__x86_64__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__) && \
    !defined(__SANITIZE_THREAD__)
__attribute__((target_clones("avx2", "default")))
#endif
int face_scan_row(const face_eval *ev, const uint32_t *sum, const uint32_t *sqsum, int n,
                  int *hits)
{
    int nh = 0, skip = 0;

    if (!ev->stumps)
        return 0;
    for (int k0 = 0; k0 < n; k0 += FACE_LANES) {
        float inv_a[FACE_LANES];
        int32_t live_a[FACE_LANES], stage[FACE_LANES];
        int ok[FACE_LANES], any = 0;
        for (int i = 0; i < FACE_LANES; i++) {
            int k = k0 + i;
            ok[i] = k < n && face_window_norm(ev, sum + k, sqsum + k, &inv_a[i]);
            live_a[i] = -ok[i];
            stage[i] = 0;
            if (!ok[i])
                inv_a[i] = 0.f;
            any |= ok[i];
        }
        vf inv;
        vi alive;
        memcpy(&inv, inv_a, sizeof(inv));
        memcpy(&alive, live_a, sizeof(alive));
        if (any)
            lanes_run(ev, sum + k0, &inv, &alive, stage);
        memcpy(live_a, &alive, sizeof(live_a));
        /* In order: OpenCV's skip rule, then the survivors one by one. */
        for (int i = 0; i < FACE_LANES && k0 + i < n; i++) {
            int k = k0 + i, r;
            if (skip) {
                skip = 0;
                continue;
            }
            if (!ok[i])
                r = -1; /* normalisation rejected it */
            else if (live_a[i])
                r = face_eval_stumps(ev, sum + k, stage[i], inv_a[i]);
            else
                r = -stage[i];
            if (r > 0)
                hits[nh++] = k;
            else if (r == 0)
                skip = 1;
        }
    }
    return nh;
}

#else /* no vector extensions */

/* The scalar reference: the same windows, skip rule and results. */
static int scan_scalar(const face_eval *ev, const uint32_t *sum, const uint32_t *sqsum, int n,
                       int *hits)
{
    int nh = 0;
    for (int k = 0; k < n; k++) {
        float inv_nf;
        int r = face_window_norm(ev, sum + k, sqsum + k, &inv_nf)
                    ? face_eval_stumps(ev, sum + k, 0, inv_nf)
                    : -1;
        if (r > 0)
            hits[nh++] = k;
        else if (r == 0)
            k++;
    }
    return nh;
}


int face_scan_row(const face_eval *ev, const uint32_t *sum, const uint32_t *sqsum, int n,
                  int *hits)
{
    return ev->stumps ? scan_scalar(ev, sum, sqsum, n, hits) : 0;
}

#endif
