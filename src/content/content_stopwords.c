/* The English stop-word and filler lists used by keyphrases, concepts and
 * chapters. Stop words are function words plus the verbs and nouns every
 * talk is full of ("going", "thing", "really"), which would otherwise win
 * keyphrase ranking by repetition alone. The table is sorted (strcmp order)
 * for bsearch; a unit test checks the order. */
#include <stdlib.h>
#include <string.h>

#include "content/content.h"

static const char *const stopwords[] = {
    "a", "about", "above", "across", "after", "afterwards", "again", "against", "all", "almost",
    "alone", "along", "already", "also", "although", "always", "am", "among", "amongst", "an",
    "and", "another", "any", "anybody", "anyhow", "anyone", "anything", "anyway", "anywhere",
    "are", "aren't", "around", "as", "at", "back", "be", "became", "because", "become",
    "becomes", "becoming", "been", "before", "beforehand", "behind", "being", "below", "beside",
    "besides", "between", "beyond", "bit", "both", "but", "by", "call", "called", "came", "can",
    "can't", "cannot", "come", "comes", "could", "couldn't", "did", "didn't", "do", "does",
    "doesn't", "doing", "don't", "done", "down", "during", "each", "either", "else",
    "elsewhere", "enough", "etc", "even", "ever", "every", "everybody", "everyone",
    "everything", "everywhere", "except", "few", "for", "former", "formerly", "from", "further",
    "get", "gets", "getting", "give", "given", "gives", "go", "goes", "going", "gone", "got",
    "gotten", "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he", "he'd",
    "he'll", "he's", "her", "here", "here's", "hers", "herself", "him", "himself", "his", "how",
    "however", "i", "i'd", "i'll", "i'm", "i've", "if", "in", "indeed", "instead", "into", "is",
    "isn't", "it", "it's", "its", "itself", "just", "keep", "kind", "know", "known", "knows",
    "last", "least", "less", "let", "let's", "like", "likely", "look", "looking", "looks",
    "lot", "lots", "made", "make", "makes", "making", "many", "may", "maybe", "me", "meanwhile",
    "might", "mine", "more", "moreover", "most", "mostly", "much", "must", "my", "myself",
    "namely", "need", "needs", "neither", "never", "nevertheless", "next", "no", "nobody",
    "none", "noone", "nor", "not", "nothing", "now", "nowhere", "of", "off", "often", "on",
    "once", "one", "ones", "only", "onto", "or", "other", "others", "otherwise", "our", "ours",
    "ourselves", "out", "over", "own", "part", "per", "perhaps", "please", "put", "quite",
    "rather", "really", "right", "said", "same", "say", "says", "see", "seem", "seemed",
    "seeming", "seems", "several", "shall", "she", "she'd", "she'll", "she's", "should",
    "shouldn't", "show", "since", "so", "some", "somebody", "somehow", "someone", "something",
    "sometime", "sometimes", "somewhere", "sort", "still", "such", "take", "takes", "talk",
    "tell", "than", "that", "that's", "the", "their", "theirs", "them", "themselves", "then",
    "thence", "there", "there's", "thereafter", "thereby", "therefore", "these", "they",
    "they'd", "they'll", "they're", "they've", "thing", "things", "think", "this", "those",
    "though", "through", "throughout", "thus", "to", "today", "together", "told", "too", "took",
    "toward", "towards", "under", "until", "up", "upon", "us", "use", "used", "uses", "using",
    "very", "via", "want", "wants", "was", "wasn't", "way", "we", "we'd", "we'll", "we're",
    "we've", "well", "went", "were", "weren't", "what", "what's", "whatever", "when", "whence",
    "whenever", "where", "whereas", "wherever", "whether", "which", "while", "who", "who's",
    "whoever", "whole", "whom", "whose", "why", "will", "with", "within", "without", "won't",
    "would", "wouldn't", "yes", "yet", "you", "you'd", "you'll", "you're", "you've", "your",
    "yours", "yourself", "yourselves",
};

static const char *const fillers[] = {
    "ah", "actually", "basically", "er", "erm", "hm", "hmm", "literally", "mm", "mhm",
    "oh", "ok", "okay", "uh", "uhm", "um", "umm", "yeah", "[hesitation]",
};

static int cmp(const void *key, const void *elem)
{
    return strcmp((const char *)key, *(const char *const *)elem);
}

int content_is_stopword(const char *word)
{
    return bsearch(word, stopwords, sizeof(stopwords) / sizeof(stopwords[0]), sizeof(stopwords[0]),
                   cmp) != NULL;
}

int content_is_filler(const char *word)
{
    for (size_t i = 0; i < sizeof(fillers) / sizeof(fillers[0]); i++)
        if (!strcmp(word, fillers[i]))
            return 1;
    return 0;
}

int content_stopwords_sorted(void)
{
    for (size_t i = 1; i < sizeof(stopwords) / sizeof(stopwords[0]); i++)
        if (strcmp(stopwords[i - 1], stopwords[i]) >= 0)
            return 0;
    return 1;
}
