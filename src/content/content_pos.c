/* A small part-of-speech guess for content words, enough to tell a noun
 * phrase ("example video", "electric bicycle") from a run of words that
 * happens to sit between stop words ("purpose including commercial",
 * "worked").
 *
 * No tagger model is available offline, so this is a lexicon plus suffix
 * rules, in this order: prepositions the stop list lacks ("including"),
 * nouns the suffix rules would get wrong ("morning", "animal", "family"),
 * verbs that are rarely nouns with their inflections ("explain", "explained",
 * "includes"), adjectives and adverbs without a telling suffix ("new",
 * "soon"), then suffixes (-ly adverb; -ous, -ful, -able, -ive, -al, -ish,
 * -less adjective; -ed participle; -ing gerund). Everything else is a noun:
 * a wrong "noun" only lets a phrase through that repetition and confidence
 * still have to carry, while a wrong "verb" would hide a real topic. Words
 * that are nouns and verbs alike ("work", "change", "test") are left as
 * nouns for the same reason. Stop words are classified by the stop list
 * (content_stopwords.c) before this is asked. Tables are sorted for
 * bsearch; a unit test checks the order. */
#include <stdlib.h>
#include <string.h>

#include "content/content.h"

/* Prepositions and conjunctions the stop list lacks. */
static const char *const func_words[] = {
    "according", "alongside", "amid", "concerning", "considering", "despite", "following",
    "including", "minus", "plus", "regarding", "throughout", "unless", "unlike", "versus",
    "whereby", "whilst",
};

/* Nouns that a suffix rule would call something else. */
static const char *const noun_words[] = {
    "accounting", "animal", "anomaly", "approval", "archive", "arrival", "assembly", "banking",
    "beginning", "belly", "bible", "building", "butterfly", "cable", "caching", "canal", "capital",
    "cathedral", "ceiling", "chemical", "clothing", "coding", "computing", "constable", "cooking",
    "criminal", "crystal", "cycling", "darling", "debugging", "decimal", "decoding", "detective",
    "drawing", "editing", "editorial", "encoding", "engineering", "evening", "executive",
    "explosive", "family", "feeling", "festival", "filtering", "finding", "fishing", "funding",
    "gaming", "handful", "hearing", "hospital", "housing", "incentive", "individual", "initiative",
    "interval", "italy", "journal", "july", "king", "learning", "lighting", "lightning", "listing",
    "locomotive", "logging", "manual", "mapping", "marketing", "material", "meaning", "medal",
    "meeting", "metal", "mineral", "mining", "modeling", "modelling", "monopoly", "morning",
    "motive", "narrative", "native", "networking", "objective", "official", "offspring", "opening",
    "original", "painting", "parking", "pedal", "perspective", "petal", "planning", "portal",
    "potential", "pricing", "principal", "processing", "professional", "programming", "proposal",
    "ranking", "rating", "reading", "recording", "relative", "removal", "rendering", "reply",
    "representative", "ritual", "rival", "routing", "sampling", "scaling", "scheduling", "setting",
    "shopping", "sibling", "signal", "spelling", "spring", "streaming", "string", "supply",
    "survival", "swimming", "table", "teaching", "terminal", "testing", "timing", "total",
    "training", "trial", "tutorial", "understanding", "variable", "vegetable", "warning",
    "wedding", "wing", "writing",
};

/* Verbs that are rarely nouns (base forms and irregular past forms); their
 * regular inflections are found by stripping -s, -ed and -ing. */
static const char *const verb_words[] = {
    "accept", "achieve", "agree", "allow", "appear", "apply", "argue", "arrive", "ask", "ate",
    "avoid", "began", "begin", "begun", "believe", "belong", "bought", "bring", "broke", "brought",
    "built", "buy", "caught", "choose", "chose", "chosen", "compare", "consider", "contain",
    "continue", "create", "decide", "define", "deliver", "depend", "derive", "describe", "destroy",
    "develop", "die", "discover", "discuss", "drew", "drove", "eaten", "enable", "encourage",
    "enjoy", "ensure", "enter", "establish", "exist", "expect", "explain", "fallen", "feel",
    "fell", "felt", "find", "finish", "follow", "forget", "forgot", "forgotten", "found", "gave",
    "grew", "grown", "happen", "hear", "heard", "held", "identify", "imagine", "improve",
    "include", "indicate", "involve", "join", "kept", "knew", "learn", "leave", "led", "left",
    "listen", "lost", "manage", "meant", "mention", "met", "notice", "obtain", "occur", "paid",
    "perform", "prefer", "prepare", "prevent", "produce", "protect", "prove", "provide", "publish",
    "ran", "reach", "realise", "realize", "receive", "recognise", "recognize", "reduce", "refer",
    "reflect", "remain", "remember", "remove", "repeat", "replace", "represent", "require",
    "resolve", "respond", "reveal", "sang", "sat", "saw", "seek", "seen", "sell", "send", "sent",
    "serve", "show", "sing", "sit", "sold", "solve", "speak", "spend", "spent", "spoke", "spoken",
    "stay", "stood", "suggest", "suppose", "survive", "taught", "teach", "tend", "thank",
    "thought", "threw", "thrown", "try", "understand", "understood", "wait", "win", "wish", "woke",
    "won", "wonder", "worry", "write", "written", "wrote",
};

/* Adjectives without a telling suffix, and the -ly words that are adjectives. */
static const char *const adj_words[] = {
    "able", "afraid", "alive", "ancient", "average", "aware", "bad", "basic", "best", "better",
    "big", "black", "blue", "bright", "brown", "busy", "certain", "clean", "clear", "cold",
    "common", "complex", "cool", "costly", "daily", "dark", "deep", "different", "difficult",
    "direct", "dirty", "early", "easy", "elderly", "empty", "entire", "exact", "extra", "fair",
    "fast", "fatal", "final", "fine", "flat", "free", "friendly", "full", "general", "golden",
    "good", "gray", "great", "green", "grey", "happy", "hard", "heavy", "high", "holy", "hot",
    "huge", "ill", "important", "impossible", "inner", "interesting", "junior", "large", "late",
    "latest", "legal", "little", "local", "lonely", "long", "loud", "lovely", "low", "lower",
    "loyal", "main", "major", "minor", "modern", "monthly", "moral", "narrow", "new", "nice",
    "old", "open", "outer", "pink", "poor", "possible", "pretty", "prior", "proud", "pure",
    "purple", "quick", "quiet", "rare", "raw", "ready", "real", "recent", "red", "rich", "rough",
    "royal", "rural", "sad", "safe", "sharp", "short", "silly", "similar", "simple", "single",
    "slow", "small", "smooth", "soft", "solid", "special", "specific", "strange", "strong",
    "sudden", "sure", "tall", "thick", "thin", "tight", "tiny", "true", "ugly", "unable", "upper",
    "usual", "various", "vast", "vital", "warm", "weak", "weekly", "white", "wide", "wild", "wise",
    "worse", "worst", "wrong", "yearly", "yellow", "young",
};

/* Adverbs without -ly that the stop list lacks. */
static const char *const adv_words[] = {
    "abroad", "ago", "ahead", "alright", "anymore", "apart", "aside", "away", "downstairs",
    "forever", "forward", "hence", "later", "outside", "sometimes", "soon", "upstairs",
};

static int cmp(const void *key, const void *elem)
{
    return strcmp((const char *)key, *(const char *const *)elem);
}

#define IN(table, w) \
    (bsearch((w), (table), sizeof(table) / sizeof((table)[0]), sizeof((table)[0]), cmp) != NULL)

static int sorted(const char *const *t, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (strcmp(t[i - 1], t[i]) >= 0)
            return 0;
    return 1;
}

int content_pos_tables_sorted(void)
{
#define S(t) sorted((t), sizeof(t) / sizeof((t)[0]))
    return S(func_words) && S(noun_words) && S(verb_words) && S(adj_words) && S(adv_words);
#undef S
}

static int ends(const char *w, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n > k && !strcmp(w + n - k, suffix);
}

/* Is w[0..n) + add a listed verb? */
static int verb_stem(const char *w, size_t n, const char *add)
{
    char b[64];
    size_t k = strlen(add);

    if (n < 2 || n + k >= sizeof(b))
        return 0;
    memcpy(b, w, n);
    memcpy(b + n, add, k + 1);
    return IN(verb_words, b);
}

/* A regular inflection of a listed verb: explains, explained, explaining,
 * studies, stopped, including. */
static int verb_form(const char *w, size_t n)
{
    if (ends(w, n, "ies") && verb_stem(w, n - 3, "y"))
        return 1;
    if (ends(w, n, "es") && verb_stem(w, n - 2, ""))
        return 1;
    if (ends(w, n, "s") && verb_stem(w, n - 1, ""))
        return 1;
    if (ends(w, n, "ied") && verb_stem(w, n - 3, "y"))
        return 1;
    if (ends(w, n, "ed") && (verb_stem(w, n - 2, "") || verb_stem(w, n - 1, "") ||
                             (n > 4 && w[n - 3] == w[n - 4] && verb_stem(w, n - 3, ""))))
        return 1;
    if (ends(w, n, "ing") && (verb_stem(w, n - 3, "") || verb_stem(w, n - 3, "e") ||
                              (n > 5 && w[n - 4] == w[n - 5] && verb_stem(w, n - 4, ""))))
        return 1;
    return 0;
}

int content_pos_tag(const char *w)
{
    size_t n = strlen(w);

    if (IN(func_words, w))
        return POS_FUNC;
    if (IN(noun_words, w))
        return POS_NOUN;
    if (IN(verb_words, w) || verb_form(w, n))
        return POS_VERB;
    if (IN(adj_words, w))
        return POS_ADJ;
    if (IN(adv_words, w))
        return POS_ADV;
    if (ends(w, n, "ly"))
        return POS_ADV;
    /* Short words with these endings are mostly nouns (goal, meal, drive,
     * table): the adjective rules start at seven letters. */
    if (ends(w, n, "ous") || ends(w, n, "ful") || ends(w, n, "less") ||
        (n >= 7 && (ends(w, n, "able") || ends(w, n, "ible") || ends(w, n, "ive") ||
                    ends(w, n, "al") || ends(w, n, "ish"))))
        return POS_ADJ;
    if (ends(w, n, "ed") && n >= 5)
        return POS_PART;
    if (ends(w, n, "ing") && n >= 5)
        return POS_GERUND;
    return POS_NOUN;
}
