/* transcript.txt writer and parser (see transcript_txt.h).
 *
 * The writer groups words into lines the way a reader expects sentences:
 * a pause over TTXT_LINE_GAP_US, or a full line, starts a new one (the
 * recognisers give no punctuation to split on). Runs of cut words share one
 * pair of brackets. Characters the parser treats as syntax ('[', ']',
 * whitespace) never appear inside a written word: brackets become
 * parentheses and spaces underscores, neither of which changes the word's
 * key, so every written word reads back as exactly one token.
 * The parser is lenient: the text is the user's, so nothing in it is an
 * error; alignment (transcript_align.c) decides what the tokens mean. */
#include "core/transcript_txt.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"

static const char header[] =
    "# transcript.txt: one line per sentence, [time] = where it starts in the input.\n"
    "# Delete words or whole lines, or wrap them in [brackets], to cut them; remove the\n"
    "# brackets around a cut word to put it back. Keep each line's [time]. Then run\n"
    "#   ai-video-editor render OUTPUT_DIR\n"
    "# (see docs/EDITING.md). Lines starting with # are ignored.\n";

void ttxt_lines(const ave_word *w, size_t n, size_t *starts, size_t *nlines)
{
    size_t count = 0, in_line = 0;

    for (size_t i = 0; i < n; i++) {
        if (i == 0 || w[i].start_us - w[i - 1].end_us > TTXT_LINE_GAP_US ||
            in_line >= TTXT_LINE_MAX_WORDS) {
            starts[count++] = i;
            in_line = 0;
        }
        in_line++;
    }
    *nlines = count;
}

void ttxt_format_time(int64_t us, char *buf, size_t len)
{
    int64_t ms = us < 0 ? 0 : (us + 500) / 1000;

    snprintf(buf, len, "[%02lld:%02lld:%02lld.%03lld]", (long long)(ms / 3600000),
             (long long)(ms / 60000 % 60), (long long)(ms / 1000 % 60), (long long)(ms % 1000));
}

void ttxt_key(const char *text, size_t text_len, char *key, size_t key_len)
{
    size_t k = 0;

    for (size_t i = 0; i < text_len && text[i] && k + 1 < key_len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 0x80 || isalnum(c) || c == '\'')
            key[k++] = (char)(c < 0x80 ? tolower(c) : c);
    }
    if (key_len)
        key[k] = '\0';
}

/* The word as written: syntax characters replaced (see the file comment). */
static size_t put_word(char *dst, const char *text)
{
    size_t k = 0;

    for (; *text; text++, k++) {
        char c = *text;
        dst[k] = c == '[' ? '(' : c == ']' ? ')' : isspace((unsigned char)c) ? '_' : c;
    }
    return k;
}

int ttxt_write(const ave_word *w, size_t n, char **out, size_t *len)
{
    size_t *starts = NULL, nlines = 0, cap = sizeof(header), k = 0;
    char *doc = NULL;
    int ret = AVE_ERR_NOMEM;

    *out = NULL;
    *len = 0;
    if (n && !(starts = malloc(n * sizeof(*starts))))
        goto out;
    ttxt_lines(w, n, starts, &nlines);
    /* time + per word: text, brackets and a space; newline per line */
    cap += nlines * 24;
    for (size_t i = 0; i < n; i++)
        cap += strnlen(w[i].text, sizeof(w[i].text)) + 3;
    if (!(doc = malloc(cap)))
        goto out;
    memcpy(doc, header, sizeof(header) - 1);
    k = sizeof(header) - 1;
    for (size_t l = 0; l < nlines; l++) {
        size_t end = l + 1 < nlines ? starts[l + 1] : n;
        char stamp[32];

        ttxt_format_time(w[starts[l]].start_us, stamp, sizeof(stamp));
        k += (size_t)snprintf(doc + k, cap - k, "%s", stamp);
        for (size_t i = starts[l]; i < end; i++) {
            int cut = !!(w[i].flags & AVE_WORD_CUT);
            int prev_cut = i > starts[l] && (w[i - 1].flags & AVE_WORD_CUT);
            int next_cut = i + 1 < end && (w[i + 1].flags & AVE_WORD_CUT);
            char text[sizeof(w[i].text) + 1];

            memcpy(text, w[i].text, sizeof(w[i].text));
            text[sizeof(w[i].text)] = '\0';
            doc[k++] = ' ';
            if (cut && !prev_cut)
                doc[k++] = '[';
            k += put_word(doc + k, text);
            if (cut && !next_cut)
                doc[k++] = ']';
        }
        doc[k++] = '\n';
    }
    doc[k] = '\0';
    *out = doc;
    *len = k;
    doc = NULL;
    ret = 0;
out:
    free(starts);
    free(doc);
    return ret;
}

int ttxt_write_output(ave_job *job)
{
    char *doc = NULL;
    size_t len = 0;
    int ret;

    if (ttxt_write(job->analysis.words, job->analysis.word_count, &doc, &len) < 0)
        return ave_job_fail(job, AVE_ERR_NOMEM, "%s: out of memory writing transcript.txt",
                            job->input_path);
    ret = ave_job_write_file(job, "transcript.txt", doc, len);
    free(doc);
    return ret;
}

/* "[H:MM:SS.mmm]" / "[MM:SS]" at s (just past the '['); returns the length
 * consumed up to and including ']' and the time, or 0 when it is no time. */
static size_t parse_time(const char *s, const char *end, int64_t *us)
{
    int64_t fields[3] = {0, 0, 0}, ms = 0;
    int nf = 0;
    const char *p = s;

    while (p < end && nf < 3) {
        int64_t v = 0;
        const char *d = p;
        while (p < end && isdigit((unsigned char)*p) && p - d < 6)
            v = v * 10 + (*p++ - '0');
        if (p == d)
            return 0;
        fields[nf++] = v;
        if (p < end && *p == ':')
            p++;
        else
            break;
    }
    if (nf < 2)
        return 0;
    if (p < end && *p == '.') {
        int64_t scale = 100;
        for (p++; p < end && isdigit((unsigned char)*p); p++, scale /= 10)
            ms += scale > 0 ? (*p - '0') * scale : 0;
    }
    if (p >= end || *p != ']')
        return 0;
    if (nf == 2)
        *us = ((fields[0] * 60 + fields[1]) * 1000 + ms) * 1000;
    else
        *us = (((fields[0] * 60 + fields[1]) * 60 + fields[2]) * 1000 + ms) * 1000;
    return (size_t)(p + 1 - s);
}

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    void *p;
    size_t c = *cap ? *cap : 64;

    if (need <= *cap)
        return 0;
    while (c < need)
        c *= 2;
    if (!(p = realloc(*arr, c * elem)))
        return AVE_ERR_NOMEM;
    *arr = p;
    *cap = c;
    return 0;
}

static int add_token(ttxt_doc *doc, size_t *cap, const char *s, size_t n, int cut)
{
    ttxt_token *t;
    size_t tl = n < sizeof(t->text) - 1 ? n : sizeof(t->text) - 1;
    char key[sizeof(t->key)];

    ttxt_key(s, n, key, sizeof(key));
    if (!key[0])
        return 0; /* punctuation, a dash: not a word */
    if (doc->token_count >= TTXT_MAX_TOKENS)
        return AVE_ERR_LIMIT;
    if (grow((void **)&doc->tokens, cap, doc->token_count + 1, sizeof(*doc->tokens)) < 0)
        return AVE_ERR_NOMEM;
    t = &doc->tokens[doc->token_count++];
    memcpy(t->key, key, sizeof(key));
    memcpy(t->text, s, tl);
    t->text[tl] = '\0';
    t->cut = cut;
    t->line = doc->line_count - 1;
    doc->lines[doc->line_count - 1].token_count++;
    return 0;
}

/* One line's words into doc (its ttxt_line already added). */
static int parse_words(ttxt_doc *doc, size_t *tcap, const char *p, const char *end)
{
    int cut = 0;

    while (p < end) {
        const char *s = p;
        if (*p == '[' || *p == ']') {
            cut = *p++ == '[';
            continue;
        }
        if (isspace((unsigned char)*p)) {
            p++;
            continue;
        }
        while (p < end && *p != '[' && *p != ']' && !isspace((unsigned char)*p))
            p++;
        int ret = add_token(doc, tcap, s, (size_t)(p - s), cut);
        if (ret < 0)
            return ret;
    }
    return 0;
}

int ttxt_parse(const char *text, size_t len, ttxt_doc *doc)
{
    const char *p = text, *end = text + len;
    size_t tcap = 0, lcap = 0;
    int lineno = 0, ret = AVE_ERR_NOMEM;

    memset(doc, 0, sizeof(*doc));
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p)), *q = p;
        ttxt_line *line;
        size_t used;
        int64_t t = -1;

        if (!eol)
            eol = end;
        lineno++;
        while (q < eol && isspace((unsigned char)*q))
            q++;
        if (q == eol || *q == '#') {
            p = eol + (eol < end);
            continue;
        }
        if (*q == '[' && (used = parse_time(q + 1, eol, &t)) > 0)
            q += 1 + used;
        if (grow((void **)&doc->lines, &lcap, doc->line_count + 1, sizeof(*doc->lines)) < 0)
            goto fail;
        line = &doc->lines[doc->line_count++];
        line->time_us = t;
        line->lineno = lineno;
        line->first_token = doc->token_count;
        line->token_count = 0;
        if ((ret = parse_words(doc, &tcap, q, eol)) < 0)
            goto fail;
        p = eol + (eol < end);
    }
    return 0;
fail:
    ttxt_doc_free(doc);
    return ret;
}

void ttxt_doc_free(ttxt_doc *doc)
{
    if (!doc)
        return;
    free(doc->tokens);
    free(doc->lines);
    memset(doc, 0, sizeof(*doc));
}
