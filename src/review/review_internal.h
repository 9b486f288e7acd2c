/* The review server's internals, shared by the files of src/review only
 * (the public side is include/ave/review.h). */
#ifndef AVE_REVIEW_INTERNAL_H
#define AVE_REVIEW_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

#include "ave/review.h"

#define REVIEW_LOG "review"
/* timeline.json and transcript.json are read whole; the largest we write
 * (48 h of speech) is far below this. */
#define REVIEW_MAX_FILE ((size_t)256 << 20)

/* --- review_render.c: one render at a time on its own thread ------------- */

typedef enum { RENDER_IDLE, RENDER_RUNNING, RENDER_DONE, RENDER_FAILED } review_render_state;

typedef struct review_render {
    pthread_mutex_t lock; /* guards everything below */
    review_render_state state;
    double fraction;
    char stage[32];
    char message[512];
    unsigned generation; /* counts finished renders: the page reloads on a change */
    int joinable;        /* a thread was started and not joined yet */
    pthread_t thread;
    atomic_int cancel; /* set by ave_review_stop */
    ave_review_render_fn fn;
    void *opaque;
    const char *output_dir; /* borrowed from the server */
} review_render;

int review_render_init(review_render *rr, ave_review_render_fn fn, void *opaque,
                       const char *output_dir);
/* Start a render. Returns 0, AVE_ERR_LIMIT (one is running: 409),
 * AVE_ERR_UNSUPPORTED (no render function: 501) or AVE_ERR_INTERNAL. */
int review_render_start(review_render *rr);
/* 1 while a render runs (a save must wait: render rewrites the files). */
int review_render_busy(review_render *rr);
/* {"state": ..., "fraction": ..., "stage": ..., "message": ..., "generation": N},
 * malloc'd (NULL when out of memory). */
char *review_render_status_json(review_render *rr);
/* Cancel a running render, wait for it, free the lock. */
void review_render_destroy(review_render *rr);

/* --- review_files.c: reading and replacing the folder's files ------------ */

/* Read root/rel whole (at most REVIEW_MAX_FILE). 0, AVE_ERR_INPUT or
 * AVE_ERR_NOMEM; *buf malloc'd and NUL-terminated. */
int review_read(const char *root, const char *rel, char **buf, size_t *len);
/* Replace root/rel with data: written to a temporary file beside it, synced,
 * then renamed over it, so a reader sees the old file or the new one. */
int review_write_atomic(const char *root, const char *rel, const char *data, size_t len);
/* Open root/rel for reading when it is a regular file whose real path (after
 * every symbolic link) is inside root, or is exactly `allowed` (the recorded
 * input; may be NULL). Returns the fd, or AVE_ERR_INPUT (missing: 404) or
 * AVE_ERR_USAGE (outside the folder, not a regular file: 403). */
int review_open_inside(const char *root, const char *path, const char *allowed, uint64_t *size);

/* --- the server (review_server.c) ------------------------------------------ */

#define REVIEW_COOKIE "ave_review"
#define REVIEW_TOKEN_HEX 32

struct ave_review {
    struct MHD_Daemon *daemon;
    char *root;             /* real path of the output folder */
    char *input;            /* real path of the recorded input; NULL when it is missing */
    const char *input_name; /* its file name, inside input */
    char token[REVIEW_TOKEN_HEX + 1];
    char url[128];
    char host_ip[40], host_name[40];
    size_t max_body;
    pthread_mutex_t save_lock;
    review_render render;
    int render_ready, lock_ready;
};

/* Per request: the body so far, and what the first call decided. */
typedef struct review_req {
    char *body;
    size_t len;
    int too_big;
    int refuse;     /* an HTTP status to answer at once, 0 when allowed */
    int set_cookie; /* the token came in the query: set the cookie */
} review_req;

/* --- review_http.c: answers ------------------------------------------------- */

/* data (copied) with the status and content type. */
enum MHD_Result review_send_buf(ave_review *rv, struct MHD_Connection *c, const review_req *cx,
                                unsigned status, const char *type, const char *data, size_t len);
/* {"error": msg} with the status. */
enum MHD_Result review_send_error(ave_review *rv, struct MHD_Connection *c, const review_req *cx,
                                  unsigned status, const char *msg);
/* The file at path (absolute) when it is inside the folder or is the input
 * (404 missing, 403 otherwise), with Range support unless page (the report:
 * the page's CSP instead of sandbox). */
enum MHD_Result review_send_path(ave_review *rv, struct MHD_Connection *c, const review_req *cx,
                                 const char *path, int page);

/* --- review_api.c: the page's API ----------------------------------------- */

enum MHD_Result review_api_edit(ave_review *rv, struct MHD_Connection *c, const review_req *cx);
enum MHD_Result review_api_save(ave_review *rv, struct MHD_Connection *c, const review_req *cx);
/* start: POST (start a render, 202/409/501), else GET (the state). */
enum MHD_Result review_api_render(ave_review *rv, struct MHD_Connection *c, const review_req *cx,
                                  int start);

#endif
