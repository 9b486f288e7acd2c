/* Scrubbed frees for API keys (secret.h). */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "core/secret.h"

void ave_secret_free(char *s)
{
    if (!s)
        return;
    explicit_bzero(s, strlen(s));
    free(s);
}

void ave_secret_headers_free(struct curl_slist *headers)
{
    for (struct curl_slist *h = headers; h; h = h->next)
        if (h->data)
            explicit_bzero(h->data, strlen(h->data));
    curl_slist_free_all(headers);
}
