/* Forced alignment for the real-speech benchmark: word times of a known
 * transcript in a recording, from PocketSphinx with a grammar that allows
 * exactly the transcript's words in order (a JSGF sequence; hesitations
 * uh/um/hm/ah/er optional), so recognition can only place them. Silence and noise between words are the decoder's
 * own fillers. Words missing from the dictionary (and <cutoff-..>,
 * [laughter], <unk> marks) are left out of the grammar; the decoder then
 * absorbs their sound into a neighbour or a filler, which the benchmark's
 * note states as a limit of the truth it builds.
 *
 * usage: bench_align AUDIO.raw TRANSCRIPT.txt  (AUDIO: 16 kHz mono s16le)
 * prints one "start<TAB>end<TAB>word" line per aligned word (seconds), and
 * "# skipped N: words..." for the words left out. Exit 1 when the grammar
 * finds no path (then no times are printed). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pocketsphinx.h>
#include <sphinxbase/err.h>

#define MODEL "/usr/share/pocketsphinx/model/en-us"
#define MAX_TEXT (1 << 20)

static char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (!fp || fseek(fp, 0, SEEK_END) < 0 || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) < 0 ||
        !(buf = malloc((size_t)n + 1)) || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        buf = NULL;
    } else {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    if (fp)
        fclose(fp);
    return buf;
}

/* The grammar "public <s> = w1 w2 ... ;" of the transcript's dictionary
 * words, lower-cased; the rest named in *skipped. */
static int build_grammar(ps_decoder_t *ps, char *text, char *jsgf, size_t jlen, char *skipped,
                         size_t slen, int *nskipped)
{
    size_t j = (size_t)snprintf(jsgf, jlen, "#JSGF V1.0;\ngrammar t;\npublic <s> =");
    size_t s = 0;
    int words = 0;
    *nskipped = 0;
    skipped[0] = '\0';
    for (char *tok = strtok(text, " \t\r\n"); tok; tok = strtok(NULL, " \t\r\n")) {
        for (char *c = tok; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        /* punctuation around words is not part of them */
        while (*tok && strchr(".,;:!?\"", *tok))
            tok++;
        size_t n = strlen(tok);
        while (n && strchr(".,;:!?\"", tok[n - 1]))
            tok[--n] = '\0';
        char *pron = n && tok[0] != '<' && tok[0] != '[' ? ps_lookup_word(ps, tok) : NULL;
        if (!pron) {
            (*nskipped)++;
            if (s < slen)
                s += (size_t)snprintf(skipped + s, slen - s, " %s", tok);
            continue;
        }
        ckd_free(pron);
        if (j + n + 4 >= jlen)
            return -1;
        /* Transcripts disagree with the audio most on hesitations (MFA's
         * own references count them differently): those may be absent. */
        int optional = !strcmp(tok, "uh") || !strcmp(tok, "um") || !strcmp(tok, "hm") ||
                       !strcmp(tok, "ah") || !strcmp(tok, "er");
        j += (size_t)snprintf(jsgf + j, jlen - j, optional ? " [%s]" : " %s", tok);
        words++;
    }
    if (j + 3 >= jlen || !words)
        return -1;
    snprintf(jsgf + j, jlen - j, " ;\n");
    return 0;
}

int main(int argc, char **argv)
{
    size_t alen = 0, tlen = 0;
    char *audio = NULL, *text = NULL, *jsgf = NULL, skipped[4096];
    int ret = 1, nskipped = 0;
    cmd_ln_t *config = NULL;
    ps_decoder_t *ps = NULL;

    if (argc != 3) {
        fprintf(stderr, "usage: bench_align AUDIO.raw TRANSCRIPT.txt\n");
        return 2;
    }
    err_set_logfp(NULL); /* PocketSphinx's own chatter */
    if (!(audio = read_all(argv[1], &alen)) || !(text = read_all(argv[2], &tlen)) ||
        tlen > MAX_TEXT || !(jsgf = malloc(3 * tlen + 64))) {
        fprintf(stderr, "bench_align: cannot read %s or %s\n", argv[1], argv[2]);
        goto out;
    }
    config = cmd_ln_init(NULL, ps_args(), TRUE, "-hmm", MODEL "/en-us", "-dict",
                         MODEL "/cmudict-en-us.dict", "-samprate", "16000", "-remove_silence",
                         "no", NULL);
    if (!config || !(ps = ps_init(config))) {
        fprintf(stderr, "bench_align: cannot load the PocketSphinx model\n");
        goto out;
    }
    if (build_grammar(ps, text, jsgf, 3 * tlen + 64, skipped, sizeof(skipped), &nskipped) < 0 ||
        ps_set_jsgf_string(ps, "t", jsgf) < 0 || ps_set_search(ps, "t") < 0) {
        fprintf(stderr, "bench_align: no usable words in %s\n", argv[2]);
        goto out;
    }
    ps_start_utt(ps);
    ps_process_raw(ps, (const int16 *)audio, alen / 2, FALSE, TRUE);
    ps_end_utt(ps);
    if (!ps_get_hyp(ps, NULL)) {
        fprintf(stderr, "bench_align: %s: the transcript found no path through the audio\n",
                argv[1]);
        goto out;
    }
    int frate = (int)cmd_ln_int_r(config, "-frate");
    for (ps_seg_t *seg = ps_seg_iter(ps); seg; seg = ps_seg_next(seg)) {
        const char *w = ps_seg_word(seg);
        int sf, ef;
        if (w[0] == '<' || w[0] == '[' || w[0] == '+')
            continue; /* <s>, <sil>, [NOISE], +BREATH+: not transcript words */
        ps_seg_frames(seg, &sf, &ef);
        char word[128];
        snprintf(word, sizeof(word), "%s", w);
        char *alt = strchr(word, '(');
        if (alt)
            *alt = '\0';
        printf("%.3f\t%.3f\t%s\n", (double)sf / frate, (double)(ef + 1) / frate, word);
    }
    if (nskipped)
        printf("# skipped %d:%s\n", nskipped, skipped);
    ret = 0;
out:
    ps_free(ps);
    cmd_ln_free_r(config);
    free(audio);
    free(text);
    free(jsgf);
    return ret;
}
