/* Freeing memory that held an API key. A plain memset before free() may be
 * removed by the compiler (the memory is dead afterwards); explicit_bzero is
 * not. */
#ifndef AVE_CORE_SECRET_H
#define AVE_CORE_SECRET_H

struct curl_slist;

/* Zero s (a C string, may be NULL) and free it. */
void ave_secret_free(char *s);

/* curl_slist_free_all, zeroing every header first: curl_slist_append
 * copies the "Authorization: Bearer ..." line, and curl frees the copy as it
 * is. */
void ave_secret_headers_free(struct curl_slist *headers);

#endif
