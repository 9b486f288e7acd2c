/* Filler detection by fusion of evidence (see docs/SPEECH.md).
 *
 * Recognisers rarely write hesitations down (PocketSphinx found 0 of 12
 * synthetic ones; whisper drops them), so a filler is found from four
 * sources, each giving a number in 0..1 for a candidate time span:
 *   R  the recogniser wrote a hesitation word there (um, uh, er, ...);
 *   K  keyword spotting for the hesitation words fired there;
 *   A  our acoustic detector: a sustained voiced segment with stable pitch
 *      and spectrum and low spectral flux, 120-1500 ms, better when bounded
 *      by pauses;
 *   G  voiced audio that no recognised word covers (the gap share).
 * The fused score (ave_filler_fuse) decides; ave_filler_apply turns the
 * accepted candidates into word entries without ever overlapping a real
 * recognised word. The pieces are pure functions except the keyword
 * spotter (a PocketSphinx decoder), so the rule is unit-testable. */
#ifndef AVE_SPEECH_FILLER_DETECT_H
#define AVE_SPEECH_FILLER_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"

/* Length of the overlap of [a0, a1) and [b0, b1), 0 when they are apart. */
static inline int64_t ave_span_overlap(int64_t a0, int64_t a1, int64_t b0, int64_t b1)
{
    int64_t s = a0 > b0 ? a0 : b0, e = a1 < b1 ? a1 : b1;
    return e > s ? e - s : 0;
}

/* Per-frame measurements of the audio, 10 ms hop. */
#define AVE_FILLER_CEPS 8

typedef struct ave_filler_frames {
    size_t count;
    int hop;          /* samples per frame */
    int rate;         /* Hz */
    float *energy_db; /* RMS level, dBFS */
    float *voicing;   /* normalised autocorrelation peak, 0..1 */
    float *pitch_st;  /* pitch of the autocorrelation peak, semitones re 55 Hz
                         (meaningful where voicing is high) */
    float *flux_db;   /* spectral shape change vs the previous frame, dB RMS */
    float *cep;       /* spectral shape: AVE_FILLER_CEPS cepstral coefficients
                         (c1.., of the band levels in dB) per frame */
    float floor_db;   /* estimated noise floor (10th percentile of energy) */
    float speech_db;  /* loud speech level (90th percentile of energy) */
} ave_filler_frames;

/* Measure pcm[0..n) (mono, rate Hz). Returns 0 with *fr filled (free with
 * ave_filler_frames_free), AVE_ERR_NOMEM or AVE_ERR_USAGE. */
int ave_filler_frames_compute(const int16_t *pcm, size_t n, int rate, ave_filler_frames *fr);
void ave_filler_frames_free(ave_filler_frames *fr);

/* Which evidence produced or supported a candidate. */
enum ave_filler_source {
    AVE_FILLER_SRC_RECOGNISER = 1 << 0,
    AVE_FILLER_SRC_KWS = 1 << 1,
    AVE_FILLER_SRC_ACOUSTIC = 1 << 2,
    AVE_FILLER_SRC_GAP = 1 << 3,
    AVE_FILLER_SRC_REALIGN = 1 << 4
};

/* A candidate filler span with its evidence. */
typedef struct ave_filler_cand {
    int64_t start_us, end_us;
    float recog;    /* R: 1 when a recognised hesitation overlaps it by >= 50% */
    float kws;      /* K: keyword spotting confidence, 0..1 */
    float acoustic; /* A: stability score of the sustained voiced segment, 0..1 */
    float gap;      /* G: share of its voiced frames outside recognised real words */
    float realign;  /* the second pass's hesitation-vs-phones score per frame
                       (filler_realign.h), AVE_REALIGN_NONE when not decoded */
    int64_t hes_start_us, hes_end_us; /* where the second pass aligned the
                       hesitation, clear of the real words; both 0: nowhere */
    float bounded;  /* pause before and/or after: 0, 0.5 or 1 */
    float score;    /* fused, ave_filler_fuse */
    unsigned sources; /* enum ave_filler_source that contributed (value > 0) */
    int island;     /* 1: the whole sound between two pauses */
    int paused;     /* island whose pauses are long enough for the noise
                       level to be pauses, not consonant closures */
    char text[16];  /* keyword heard ("um") or "" */
    float level_db; /* loudest frame against the recording's speech level (dB,
                       <= 0 mostly); ave_filler_measure */
    float voiced;   /* share of its audible frames that are voiced, 0..1 */
    float steady;   /* H: share of its voiced frames on one spectral shape
                       (filler_steady.h), 0..1; 0 when they last less than
                       AVE_GAP_HELD_MIN_US, and for candidates not islands */
    float confidence; /* calibrated, 0..1: ave_filler_confidence */
    int realign_moot; /* 1: the second pass could not change its outcome
                         (ave_filler_realign_matters), so it is not decoded */
} ave_filler_cand;

/* Sustained voiced segments of fr, then every island (sound between two
 * pauses, 80 ms to 2 s; island = 1, bounded = 1): candidates with acoustic
 * and bounded set (other evidence 0). *out malloc'd (caller frees); sort
 * with ave_filler_merge. */
int ave_filler_acoustic(const ave_filler_frames *fr, ave_filler_cand **out, size_t *count);

/* Voiced stretches of at least 120 ms that lie between recognised real
 * (non-filler) words: candidates with gap = 1 (other evidence 0). Appended to
 * *cands (realloc'd; *count updated). words sorted by start. */
int ave_filler_gap_candidates(const ave_filler_frames *fr, const ave_word *words, size_t nw,
                              ave_filler_cand **cands, size_t *count);

/* 1 when w has at most 4 letters and at least 60% of it lies inside
 * [s, e): the recogniser's
 * rendering of the filler itself (PocketSphinx writes a missed "uh" as "a",
 * "of" or "i'm"), which the filler then replaces. */
int ave_filler_absorbs(const ave_word *w, int64_t s, int64_t e);

/* ave_filler_absorbs for words[i] of a sorted list, and words[i] is not a
 * filler, and the recogniser did not join it (less than 20 ms apart) to a
 * real word outside [s, e) that the span does not absorb too: a word
 * decoded as connected to its neighbour is speech, not a hesitation. */
int ave_filler_absorbs_in(const ave_word *words, size_t nw, size_t i, int64_t s, int64_t e);

/* Share (0..1) of the voiced frames of [s, e) that no recognised real word
 * covers. With absorb (for islands: sound between two pauses), words it
 * absorbs do not count, unless there are three or more of them. 1 when it
 * has no voiced frame. */
float ave_filler_gap_share(const ave_filler_frames *fr, const ave_word *words, size_t nw,
                           int64_t s, int64_t e, int absorb);

/* Voiced time in [s, e) that no real recognised word accounts for. Much of
 * it next to a candidate means the recogniser left speech out there (an
 * incomplete transcript), so a gap is no evidence of a filler. */
int64_t ave_filler_unexplained_us(const ave_filler_frames *fr, const ave_word *words, size_t nw,
                                  int64_t s, int64_t e);

/* 1 when the gap evidence of c is void: more than 0.5 s of voiced sound
 * that no real word explains lies within 1.5 s of it (the recogniser left
 * speech out there, so its silence is no evidence of a filler). Never for
 * an island (c->island): its pauses separate it from the missing words. */
int ave_filler_gap_void(const ave_filler_frames *fr, const ave_word *words, size_t nw,
                        const ave_filler_cand *c);

/* The keyword spotter: a PocketSphinx decoder searching only for the
 * hesitation words (ps_set_kws on a small dictionary), run on short windows
 * around candidates. */
typedef struct ave_filler_kws ave_filler_kws;

/* model_dir as for the recogniser (NULL: Debian's); scratch_dir receives
 * the small dictionary and keyword files. Returns 0, or AVE_ERR_UNSUPPORTED
 * when the model is missing (*out NULL: detection runs without K). */
int ave_filler_kws_open(ave_filler_kws **out, const char *model_dir, const char *scratch_dir);
void ave_filler_kws_close(ave_filler_kws *k);

/* Spot hesitations in pcm (16 kHz) around each candidate ([start - 0.4 s,
 * end + 0.4 s]): kws = 1 (and text = the keyword) when a hit covers at
 * least half of the candidate. k NULL: nothing is done. */
int ave_filler_kws_score(ave_filler_kws *k, const int16_t *pcm, size_t n, int rate,
                         ave_filler_cand *cands, size_t count);

/* The fusion rule's constants (docs/SPEECH.md). */
typedef struct ave_filler_rule {
    float w_acoustic, w_kws, w_bounded; /* weights of the sum */
    float threshold;                           /* accept when score >= threshold */
    float min_acoustic;     /* a candidate needs A >= this or K > 0 unless R */
    int64_t min_len_us;     /* shortest filler inserted */
    float min_level_db;     /* without R, a candidate quieter than the speech by more
                               than this (level_db) scores 0 */
    int64_t long_us;        /* without R, a candidate this long ... */
    float long_min_acoustic; /* ... needs A >= this (one held sound), else 0 */
} ave_filler_rule;

void ave_filler_rule_default(ave_filler_rule *r);

/* Fused score of one candidate, 0..1: 1 when R; 0 when A < min_acoustic
 * and K = 0, when it is quieter than min_level_db under the speech, or long
 * (long_us) and varied (A < long_min_acoustic); else G * (w_acoustic A +
 * w_kws K + w_bounded B): G gates the sum, since a span covered by real
 * words is not a filler the recogniser missed. */
float ave_filler_fuse(const ave_filler_cand *c, const ave_filler_rule *r);

/* Sort candidates and merge overlapping ones in place: an island keeps its
 * span and A; otherwise spans join and A is the maximum; the other evidence
 * is always the maximum, sources are OR-ed. */
void ave_filler_merge(ave_filler_cand *cands, size_t *count);

/* The acceptance threshold for a recording whose loud speech stands snr_db
 * above its noise floor: rule->threshold on clean audio, rising linearly
 * to NOISY_THRESHOLD as the SNR falls from 35 to 15 dB, because in noise
 * the gaps inside words fall to the floor and split words into fragments
 * that look like held vowels (real words damaged: 9.7% at 20 dB with the
 * clean threshold). */
float ave_filler_threshold_for_snr(const ave_filler_rule *rule, float snr_db);

/* Turn candidates with score >= threshold into filler words: a recognised
 * hesitation it overlaps gets the score, and when the candidate's own
 * evidence (its score without R) is accepted too, grows to the clear part
 * described next (replacing the words absorbed); otherwise the words an island
 * absorbs (ave_filler_absorbs, at most two) are removed, the span is
 * clipped to the longest part no other real word touches (20 ms guard) and
 * inserted as a new word ("um" from the keyword spotter, else
 * "[hesitation]") with AVE_WORD_FILLER | AVE_WORD_ACOUSTIC, when at least
 * min_len_us remains. *words is realloc'd and stays sorted by start; on
 * AVE_ERR_NOMEM it is left valid and unchanged. *added counts new words. */
int ave_filler_apply(ave_word **words, size_t *count, const ave_filler_cand *cands,
                     size_t ncand, const ave_filler_rule *r, size_t *added);

/* The longest part [*os, *oe) of [s, e) that no word of w[0..n) touches,
 * each widened by 20 ms; words with a flag of ignore, or drop[i] set (drop
 * may be NULL), do not count. Empty (*os == *oe) when none. */
void ave_filler_clear_span(const ave_word *w, const unsigned char *drop, size_t n,
                           unsigned ignore, int64_t s, int64_t e, int64_t *os, int64_t *oe);

/* Level and voicing of c's span in fr: c->level_db, c->voiced. */
void ave_filler_measure(const ave_filler_frames *fr, ave_filler_cand *c);

/* The calibrated confidence that c is a filler (docs/SPEECH.md, "Confidence
 * and suggestions"): the fused score rescaled so that the recording's score
 * threshold (ave_filler_threshold_for_snr) maps to 0.5, the default cut
 * threshold; at least AVE_FILLER_CONF_VOICED_GAP for a voiced island, said
 * at speech level, that the recogniser wrote nothing for (the measured share
 * of such islands that are fillers on real speech); at least
 * AVE_FILLER_CONF_REALIGN when the second pass confirms it, or when it holds
 * one spectral shape (c->steady >= AVE_GAP_STEADY_MIN, filler_steady.h). */
#define AVE_FILLER_CONF_VOICED_GAP 0.45f
/* The second pass (filler_realign.h): a voiced gap whose hesitation-vs-phones
 * score reaches AVE_FILLER_REALIGN_MIN gets AVE_FILLER_CONF_REALIGN (on the
 * real set: 6 of 6 were fillers; the small sample is why it is not 1). */
#define AVE_FILLER_REALIGN_MIN 10.0f
#define AVE_FILLER_CONF_REALIGN 0.85f
float ave_filler_confidence(const ave_filler_cand *c, float score_threshold);

/* Whether the second pass's score can change what becomes of c: it raises
 * the confidence of a voiced gap of at most 0.8 s, and gives a candidate
 * already at the cut its span (filler_detect.c). c->score must be fused. */
int ave_filler_realign_matters(const ave_filler_cand *c, float score_threshold, float cut);

/* The fused score that ave_filler_confidence maps to conf (its inverse on
 * the rescaled part). */
float ave_filler_score_for_confidence(float conf, float score_threshold);

/* Insert a suggestion for every candidate with review <= confidence < cut
 * that overlaps no filler or suggested word: a word "[hesitation]" with
 * AVE_WORD_SUGGESTED | AVE_WORD_ACOUSTIC over the longest part of it no real
 * word touches (20 ms guard; at least min_len_us), confidence and
 * filler_score = the candidate's confidence. Nothing is cut. *words stays
 * sorted (realloc'd); on AVE_ERR_NOMEM it is unchanged. */
int ave_filler_suggest(ave_word **words, size_t *count, const ave_filler_cand *cands,
                       size_t ncand, float review, float cut, int64_t min_len_us,
                       size_t *added);

/* A hesitation the recogniser wrote is only a suggestion when it is unsure
 * of it (confidence < 0.5), wrote it joined to a real word (less than 20 ms
 * apart) and no candidate with acoustic support (A >= min_acoustic, or a
 * keyword hit) covers half of it: PocketSphinx writes "ah" for the "all" of
 * "must be all", 0 ms after "be", at 0.03. Such words lose AVE_WORD_FILLER
 * and get AVE_WORD_SUGGESTED with filler_score = confidence = conf.
 * Returns how many. */
size_t ave_filler_demote_unsure(ave_word *w, size_t n, const ave_filler_cand *cands,
                                size_t ncand, float min_acoustic, float conf);

/* Grow every filler word (AVE_WORD_FILLER, not muted) that is one held
 * sound (most of its frames voiced within 1.5 semitones of their median
 * pitch) over the frames next to it that continue that sound (voiced,
 * audible, same pitch), up to max_us each way and never closer than
 * guard_us to another word: recognisers and the clear-part clipping end a
 * hesitation where its vowel steadies, and the rest then stays in the edit
 * as an audible "e-". Without recognised_too only the fillers the detector
 * inserted (AVE_WORD_ACOUSTIC) grow: a service's word times are its own
 * alignment, and its list may leave speech out. */
void ave_filler_grow_to_sound(ave_word *w, size_t n, const ave_filler_frames *fr,
                              int64_t guard_us, int64_t max_us, int recognised_too);

/* Counts for the metrics. */
typedef struct ave_filler_stats {
    size_t detected;    /* filler words after detection */
    size_t suggested;   /* suggestions inserted or demoted from the recogniser's */
    size_t inserted;    /* new words from candidates */
    size_t candidates;  /* spans scored */
    size_t by_recogniser, by_kws, by_acoustic, by_gap; /* accepted fillers each source supported */
    double seconds;     /* wall time of detection */
    double cpu_seconds; /* CPU time of detection (one thread) */
} ave_filler_stats;

/* The entry point: detect fillers in job->analysis.words over pcm (the
 * analysis audio, 16 kHz), flag and insert words (confidence >= cut) and
 * suggestions (review <= confidence < cut), record metrics under "speech".
 * model_dir: the PocketSphinx model folder for keyword spotting (NULL:
 * Debian's; missing: spotting is skipped). Errors are recorded on the job.
 * st may be NULL. */
int speech_detect_fillers(ave_job *job, const ave_pcm *pcm, const char *model_dir, float cut,
                          float review, ave_filler_stats *st);

#endif
