/* URL helpers shared by the clients of OpenAI-compatible services (the
 * speech engine's transcriptions, the content stage's chat completions). */
#ifndef AVE_CORE_HTTP_URL_H
#define AVE_CORE_HTTP_URL_H

/* The full endpoint for a service base URL: trailing slashes dropped, "/v1"
 * added unless present, then suffix (e.g. "/chat/completions"); a base that
 * already ends with suffix is used as it is. Caller frees; NULL when out of
 * memory. */
char *ave_http_endpoint(const char *base, const char *suffix);

/* url without any "user:password@" part, for messages. Caller frees; NULL
 * when out of memory. */
char *ave_http_url_for_display(const char *url);

#endif
