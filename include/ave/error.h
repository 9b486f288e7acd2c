/* Error codes shared by every part of the library.
 *
 * Every function that can fail returns 0 or one of these negative codes. The
 * human-readable message lives on the job (ave_job_errmsg), never in a global,
 * so parallel jobs cannot mix messages. Whoever detects an error writes the
 * message; callers only pass the code up. */
#ifndef AVE_ERROR_H
#define AVE_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

enum ave_error {
    AVE_OK = 0,
    AVE_ERR_NOMEM = -1,       /* an allocation failed */
    AVE_ERR_USAGE = -2,       /* bad flag, value, option or profile */
    AVE_ERR_INPUT = -3,       /* missing, unreadable, corrupt or unsupported input */
    AVE_ERR_IO = -4,          /* cannot write an output or temp file */
    AVE_ERR_NOSPACE = -5,     /* the disk filled up while writing */
    AVE_ERR_TIMEOUT = -6,     /* --timeout expired */
    AVE_ERR_CANCELLED = -7,   /* the progress callback asked to stop (e.g. SIGINT) */
    AVE_ERR_LIMIT = -8,       /* a resource limit (--max-memory) would be exceeded */
    AVE_ERR_UNSUPPORTED = -9, /* a valid request that this build cannot do */
    AVE_ERR_INTERNAL = -10    /* a bug or an unexpected library failure */
};

/* Process exit codes documented in the README and --help. */
enum ave_exit {
    AVE_EXIT_OK = 0,
    AVE_EXIT_INTERNAL = 1,
    AVE_EXIT_USAGE = 2,
    AVE_EXIT_INPUT = 3,
    AVE_EXIT_IO = 4,
    AVE_EXIT_TIMEOUT = 5,
    AVE_EXIT_LIMIT = 6,
    AVE_EXIT_CANCELLED = 130
};

/* Static English description of an error code; never NULL. */
const char *ave_strerror(int code);

/* The documented process exit code for an error code. */
int ave_exit_code(int code);

#ifdef __cplusplus
}
#endif
#endif
