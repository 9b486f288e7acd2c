/* Word post-processing shared by the recognisers. PocketSphinx reports
 * sentence markers, noise classes and pronunciation variants ("read(2)") as
 * tokens; HTTP services such as whisper send capitalised words with leading
 * spaces and punctuation and bracketed annotations ("[BLANK_AUDIO]"). Both
 * are reduced here to the lower-case words the rest of the pipeline compares
 * (fillers, stutters, subtitles). A trailing dash on a word survives as
 * "-": recognisers that write out disfluencies mark a cut-off word with it. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "core/array_grow.h"
#include "speech/asr_words.h"

static int is_word_char(unsigned char c)
{
    /* Bytes >= 0x80 belong to UTF-8 letters: keep them as they are. */
    return isalnum(c) || c >= 0x80;
}

int ave_asr_normalize_token(const char *token, char *out, size_t outlen)
{
    const char *a, *b, *end;
    size_t len, k = 0;
    int truncated = 0;

    if (!out || outlen == 0)
        return 0;
    out[0] = '\0';
    if (!token)
        return 0;
    a = token;
    while (*a && isspace((unsigned char)*a))
        a++;
    b = a + strlen(a);
    while (b > a && isspace((unsigned char)b[-1]))
        b--;
    if (b == a)
        return 0;
    /* Markers and annotations: <s>, </s>, <sil>, [NOISE], (laughs), +NSN+. */
    if ((*a == '<' && b[-1] == '>') || (*a == '[' && b[-1] == ']') ||
        (*a == '(' && b[-1] == ')'))
        return 0;
    /* Alternate pronunciation: "word(2)". */
    if (b[-1] == ')') {
        const char *p = b - 2;
        while (p > a && isdigit((unsigned char)*p))
            p--;
        if (p > a && *p == '(' && p < b - 2)
            b = p;
    }
    /* "++UH++" / "+um+" filler markup: drop the pluses, then only a known
     * hesitation survives (noise classes like +NSN+ are not words). */
    if (*a == '+') {
        while (a < b && *a == '+')
            a++;
        while (b > a && b[-1] == '+')
            b--;
        len = (size_t)(b - a);
        if (len == 0 || len >= 16)
            return 0;
        for (size_t i = 0; i < len && k + 1 < outlen; i++)
            out[k++] = (char)tolower((unsigned char)a[i]);
        out[k] = '\0';
        if (!ave_asr_is_hesitation(out)) {
            out[0] = '\0';
            return 0;
        }
        return 1;
    }
    /* A word cut off by the speaker ("th-", "the\u2014"): its trailing dash is
     * kept as "-", the stutter detector's evidence of a restart. UTF-8 en and
     * em dashes would otherwise pass as word bytes. */
    while (b - a >= 3 && (unsigned char)b[-3] == 0xE2 && (unsigned char)b[-2] == 0x80 &&
           ((unsigned char)b[-1] == 0x93 || (unsigned char)b[-1] == 0x94)) {
        b -= 3;
        truncated = 1;
    }
    /* Surrounding punctuation ("Hello," "'quoted'" "...so"). */
    while (a < b && !is_word_char((unsigned char)*a))
        a++;
    end = b;
    while (b > a && !is_word_char((unsigned char)b[-1]))
        b--;
    if (b == a)
        return 0;
    if (b < end && *b == '-')
        truncated = 1;
    for (const char *p = a; p < b && k + 1 + (size_t)truncated < outlen; p++)
        out[k++] = (char)tolower((unsigned char)*p);
    if (truncated && k + 1 < outlen)
        out[k++] = '-';
    out[k] = '\0';
    return 1;
}

int ave_asr_is_hesitation(const char *word)
{
    static const char *const list[] = {"um", "umm", "uhm", "uh", "uhh", "er", "erm", "err",
                                       "ah", "ahh", "hmm", "hm", "hmmm", "mm", "mmm", NULL};
    if (!word)
        return 0;
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(word, list[i]))
            return 1;
    return 0;
}

int64_t ave_asr_frame_to_us(int64_t offset_us, int64_t frame, int frame_rate)
{
    if (frame_rate <= 0)
        return offset_us;
    /* Integer rounding: exact for 100 frames/s and free of float drift. */
    return offset_us + (frame * 1000000 + frame_rate / 2) / frame_rate;
}

int ave_asr_make_word(ave_word *w, const char *token, int64_t start_us, int64_t end_us,
                      double confidence)
{
    char text[sizeof(w->text)];

    if (!ave_asr_normalize_token(token, text, sizeof(text)))
        return 0;
    memset(w, 0, sizeof(*w));
    memcpy(w->text, text, sizeof(text));
    w->start_us = start_us;
    w->end_us = end_us > start_us ? end_us : start_us;
    if (!(confidence >= 0)) /* also catches NaN */
        confidence = 0;
    w->confidence = (float)(confidence > 1 ? 1 : confidence);
    if (ave_asr_is_hesitation(w->text)) {
        w->flags |= AVE_WORD_FILLER;
        w->filler_score = 1.0f;
    }
    return 1;
}

int ave_asr_words_push(ave_word **words, size_t *count, size_t *cap, const ave_word *w)
{
    ave_word *p = array_grow(*words, cap, *count + 1, sizeof(*p), 64);
    if (!p)
        return AVE_ERR_NOMEM;
    *words = p;
    (*words)[(*count)++] = *w;
    return 0;
}

static int before(const ave_word *x, const ave_word *y)
{
    return x->start_us < y->start_us || (x->start_us == y->start_us && x->end_us < y->end_us);
}

void ave_asr_words_sort(ave_word *words, size_t count)
{
    /* Insertion sort: the input is chunk-ordered, so nearly sorted (linear),
     * and the order of equal words is kept. */
    for (size_t i = 1; i < count; i++) {
        ave_word w = words[i];
        size_t j = i;
        while (j > 0 && before(&w, &words[j - 1])) {
            words[j] = words[j - 1];
            j--;
        }
        words[j] = w;
    }
}
