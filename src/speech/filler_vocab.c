/* The filler vocabulary and the discourse-marker rules (filler_vocab.h).
 *
 * Hesitations are matched with repeated letters squeezed ("ummm" = "um",
 * "hmm" = "hm"), because recognisers spell drawn-out fillers with as many
 * letters as they like. Discourse markers are real words most of the time,
 * so each rule asks for prosodic evidence (a pause of AVE_FILLER_PAUSE_US or
 * a neighbouring filler, the only punctuation a word list carries) and
 * rejects the grammatical uses its neighbours reveal ("looks like", "you know
 * what", "what I mean"). The rules err towards keeping a word: a missed
 * filler costs a little polish, a cut real word changes the meaning.
 * Assumes normalised lower-case words sorted by start (asr_words.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ave/error.h"
#include "speech/filler_vocab.h"

/* --- vocabulary ----------------------------------------------------------- */

/* Copy s (len bytes) lower-cased with runs of one letter squeezed to one and
 * a trailing truncation hyphen dropped. */
static void squeeze(const char *s, size_t len, char *out, size_t outlen)
{
    size_t k = 0;

    while (len > 0 && s[len - 1] == '-')
        len--;
    for (size_t i = 0; i < len && k + 1 < outlen; i++) {
        char c = (char)tolower((unsigned char)s[i]);
        if (k > 0 && out[k - 1] == c)
            continue;
        out[k++] = c;
    }
    out[k] = '\0';
}

static int entry_char(unsigned char c)
{
    return isalnum(c) || c == '\'' || c == '-' || c >= 0x80;
}

/* Parse one entry [a, b) (already trimmed) into e. */
static int parse_entry(ave_filler_entry *e, const char *a, const char *b, char *err, size_t errlen)
{
    memset(e, 0, sizeof(*e));
    while (a < b) {
        const char *s = a;
        while (a < b && !isspace((unsigned char)*a)) {
            if (!entry_char((unsigned char)*a)) {
                snprintf(err, errlen, "'%.*s': only letters, digits, ' and - may be used",
                         (int)(b - s), s);
                return AVE_ERR_USAGE;
            }
            a++;
        }
        if (e->nwords == AVE_FILLER_ENTRY_MAX_WORDS) {
            snprintf(err, errlen, "an entry has more than %d words", AVE_FILLER_ENTRY_MAX_WORDS);
            return AVE_ERR_USAGE;
        }
        if ((size_t)(a - s) >= sizeof(e->words[0])) {
            snprintf(err, errlen, "'%.*s...' is too long", 16, s);
            return AVE_ERR_USAGE;
        }
        squeeze(s, (size_t)(a - s), e->words[e->nwords], sizeof(e->words[0]));
        if (e->words[e->nwords][0])
            e->nwords++;
        while (a < b && isspace((unsigned char)*a))
            a++;
    }
    return 0;
}

int ave_filler_vocab_parse(ave_filler_vocab *v, const char *list, char *err, size_t errlen)
{
    const char *p = list ? list : AVE_FILLER_WORDS_DEFAULT;
    int ret;

    memset(v, 0, sizeof(*v));
    if (err && errlen)
        err[0] = '\0';
    while (*p) {
        const char *a = p, *b;
        while (*p && *p != ',')
            p++;
        b = p;
        if (*p == ',')
            p++;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        if (a == b)
            continue;
        if (v->count == AVE_FILLER_VOCAB_MAX) {
            snprintf(err, errlen, "more than %d entries", AVE_FILLER_VOCAB_MAX);
            return AVE_ERR_USAGE;
        }
        if ((ret = parse_entry(&v->entries[v->count], a, b, err, errlen)) < 0)
            return ret;
        if (v->entries[v->count].nwords > 0)
            v->count++;
    }
    return 0;
}

static int word_is(const ave_word *w, const char *squeezed)
{
    char buf[sizeof(w->text)];
    squeeze(w->text, strlen(w->text), buf, sizeof(buf));
    return !strcmp(buf, squeezed);
}

size_t ave_filler_vocab_match(const ave_filler_vocab *v, const ave_word *w, size_t n, size_t i)
{
    size_t best = 0;

    for (size_t e = 0; v && e < v->count; e++) {
        const ave_filler_entry *en = &v->entries[e];
        size_t k = 0;
        if ((size_t)en->nwords <= best || i + (size_t)en->nwords > n)
            continue;
        while (k < (size_t)en->nwords && !(w[i + k].flags & AVE_WORD_ACOUSTIC) &&
               word_is(&w[i + k], en->words[k]))
            k++;
        if (k == (size_t)en->nwords)
            best = k;
    }
    return best;
}

/* --- discourse markers ------------------------------------------------------ */

static int in_list(const char *word, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(word, list[i]))
            return 1;
    return 0;
}

static int64_t gap_before(const ave_word *w, size_t i)
{
    return i == 0 ? INT64_MAX : w[i].start_us - w[i - 1].end_us;
}

static int64_t gap_after(const ave_word *w, size_t n, size_t i)
{
    return i + 1 >= n ? INT64_MAX : w[i + 1].start_us - w[i].end_us;
}

static int is_filler(const ave_word *w, size_t n, size_t i)
{
    return i < n && (w[i].flags & AVE_WORD_FILLER);
}

/* A phrase starts at w[i]: the first word, after a pause or after a filler. */
static int phrase_start(const ave_word *w, size_t n, size_t i)
{
    return i == 0 || gap_before(w, i) >= AVE_FILLER_PAUSE_US || is_filler(w, n, i - 1);
}

/* A phrase ends at w[i]: the last word, before a pause or before a filler. */
static int phrase_end(const ave_word *w, size_t n, size_t i)
{
    return i + 1 >= n || gap_after(w, n, i) >= AVE_FILLER_PAUSE_US || is_filler(w, n, i + 1);
}

static const char *next_text(const ave_word *w, size_t n, size_t i)
{
    return i < n ? w[i].text : "";
}

/* Words after which "like" is a verb or a preposition: I/you/we like,
 * would like, looks/feels/sounds/seems like, something/just/more like. */
static const char *const like_heads[] = {
    "i", "you", "we", "they", "he", "she", "people", "who", "would", "i'd", "you'd", "we'd",
    "they'd", "do", "does", "did", "don't", "doesn't", "didn't", "not", "really", "also", "to",
    "look", "looks", "looked", "looking", "feel", "feels", "felt", "feeling", "sound", "sounds",
    "sounded", "seem", "seems", "seemed", "taste", "tastes", "smell", "smells", "act", "acts",
    "acted", "just", "more", "much", "most", "nothing", "something", "anything", "everything",
    "things", "stuff", "lot", "exactly", "very", NULL};

/* A copula before "like" is a simile ("it was like a dream") unless pauses
 * set "like" apart on both sides ("it was, like, really big"). */
static const char *const like_copulas[] = {
    "be", "is", "was", "are", "were", "it's", "that's", "what's", "he's", "she's", NULL};

/* Objects that make "like" a preposition ("like this", "like a dream"). */
static const char *const like_objects[] = {
    "this", "that", "these", "those", "him", "her", "them", "me", "us", "it", "you", "a",
    "an", "the", "my", "your", "his", "our", "their", NULL};

/* Words before "you know" / "I mean" that make them a clause of their own:
 * "do you know", "if you know", "what I mean". */
static const char *const know_heads[] = {
    "do", "does", "did", "don't", "doesn't", "didn't", "if", "would", "will", "could", "can",
    "should", "might", "as", "when", "whether", "what", "that", "which", NULL};

/* Words after "you know" / "I mean" that are their object or clause:
 * "you know that ...", "you know what", "I mean it". */
static const char *const know_objects[] = {
    "that", "what", "how", "why", "where", "who", "whom", "when", "whether", "if", "which",
    "about", "the", "a", "an", "it", "him", "her", "them", "me", "us", "you", "this", "these",
    "those", "my", "your", "his", "our", "their", "everything", "anything", "something",
    "nothing", "everyone", "anyone", "someone", "too", "to", "business", NULL};

static size_t rule_like(const ave_word *w, size_t n, size_t i)
{
    int pause_both = gap_before(w, i) >= AVE_FILLER_PAUSE_US &&
                     gap_after(w, n, i) >= AVE_FILLER_PAUSE_US;

    if (i > 0 && (in_list(w[i - 1].text, like_heads) ||
                  (!pause_both && in_list(w[i - 1].text, like_copulas))))
        return 0;
    if (!phrase_start(w, n, i) && !phrase_end(w, n, i))
        return 0;
    if (!pause_both && in_list(next_text(w, n, i + 1), like_objects))
        return 0;
    return 1;
}

static size_t rule_so(const ave_word *w, size_t n, size_t i)
{
    if (!phrase_start(w, n, i) || i + 1 >= n || !strcmp(w[i + 1].text, "so"))
        return 0;
    return phrase_end(w, n, i) ? 1 : 0;
}

/* "you know" and "I mean": a parenthetical at a phrase boundary. */
static size_t rule_two_words(const ave_word *w, size_t n, size_t i)
{
    if (i > 0 && in_list(w[i - 1].text, know_heads))
        return 0;
    if (in_list(next_text(w, n, i + 2), know_objects))
        return 0;
    return phrase_start(w, n, i) || phrase_end(w, n, i + 1) ? 2 : 0;
}

static size_t rule_sentence_adverb(const ave_word *w, size_t n, size_t i)
{
    return phrase_start(w, n, i) && i + 1 < n && phrase_end(w, n, i) ? 1 : 0;
}

size_t ave_filler_discourse_match(const ave_word *w, size_t n, size_t i)
{
    const char *t;

    if (i >= n || (w[i].flags & AVE_WORD_ACOUSTIC))
        return 0;
    t = w[i].text;
    if (!strcmp(t, "like"))
        return rule_like(w, n, i);
    if (!strcmp(t, "so"))
        return rule_so(w, n, i);
    if (i + 1 < n && ((!strcmp(t, "you") && !strcmp(w[i + 1].text, "know")) ||
                      (!strcmp(t, "i") && !strcmp(w[i + 1].text, "mean"))))
        return rule_two_words(w, n, i);
    if (!strcmp(t, "basically") || !strcmp(t, "actually"))
        return rule_sentence_adverb(w, n, i);
    return 0;
}

void ave_filler_flag(const ave_filler_vocab *v, int aggressive, ave_word *w, size_t n,
                     size_t *flagged)
{
    size_t count = 0;

    for (size_t i = 0; i < n; i++)
        if (!(w[i].flags & AVE_WORD_ACOUSTIC)) {
            w[i].flags &= ~(unsigned)AVE_WORD_FILLER;
            w[i].filler_score = 0;
        }
    for (size_t i = 0; i < n;) {
        size_t m = ave_filler_vocab_match(v, w, n, i);
        for (size_t k = 0; k < m; k++) {
            w[i + k].flags |= AVE_WORD_FILLER;
            w[i + k].filler_score = AVE_FILLER_SCORE_VOCAB;
            count++;
        }
        i += m ? m : 1;
    }
    for (size_t i = 0; aggressive && i < n;) {
        size_t m = (w[i].flags & AVE_WORD_FILLER) ? 0 : ave_filler_discourse_match(w, n, i);
        for (size_t k = 0; k < m; k++) {
            w[i + k].flags |= AVE_WORD_FILLER;
            w[i + k].filler_score = AVE_FILLER_SCORE_DISCOURSE;
            count++;
        }
        i += m ? m : 1;
    }
    if (flagged)
        *flagged = count;
}
