/* URL helpers for OpenAI-compatible services (see http_url.h). Users give
 * either the server ("http://host:8080"), its API root (".../v1") or the
 * full endpoint; all three must reach the same place. */
#include <stdlib.h>
#include <string.h>

#include "core/http_url.h"

char *ave_http_endpoint(const char *base, const char *suffix)
{
    size_t len = strlen(base), slen = strlen(suffix);
    char *out;

    while (len > 0 && base[len - 1] == '/')
        len--;
    if (!(out = malloc(len + sizeof("/v1") + slen)))
        return NULL;
    memcpy(out, base, len);
    out[len] = '\0';
    if (len >= slen && !strcmp(out + len - slen, suffix))
        return out;
    if (!(len >= 3 && !strcmp(out + len - 3, "/v1")))
        strcat(out, "/v1");
    strcat(out, suffix);
    return out;
}

char *ave_http_url_for_display(const char *url)
{
    const char *scheme = strstr(url, "://"), *host = scheme ? scheme + 3 : url;
    const char *at = strchr(host, '@'), *slash = strchr(host, '/');
    char *out;

    if (!at || (slash && slash < at))
        return strdup(url);
    if (!(out = malloc(strlen(url) + 1)))
        return NULL;
    memcpy(out, url, (size_t)(host - url));
    strcpy(out + (host - url), at + 1);
    return out;
}
