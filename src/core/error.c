/* Error code descriptions and the mapping to documented process exit codes.
 * Kept apart from the CLI so tests and other front ends share one mapping. */
#include "ave/error.h"

const char *ave_strerror(int code)
{
    switch (code) {
    case AVE_OK: return "success";
    case AVE_ERR_NOMEM: return "out of memory";
    case AVE_ERR_USAGE: return "invalid usage";
    case AVE_ERR_INPUT: return "bad input";
    case AVE_ERR_IO: return "input/output error";
    case AVE_ERR_NOSPACE: return "no space left on device";
    case AVE_ERR_TIMEOUT: return "timed out";
    case AVE_ERR_CANCELLED: return "cancelled";
    case AVE_ERR_LIMIT: return "resource limit exceeded";
    case AVE_ERR_UNSUPPORTED: return "not supported by this build";
    case AVE_ERR_INTERNAL: return "internal error";
    default: return "unknown error";
    }
}

int ave_exit_code(int code)
{
    switch (code) {
    case AVE_OK: return AVE_EXIT_OK;
    case AVE_ERR_USAGE: return AVE_EXIT_USAGE;
    case AVE_ERR_INPUT:
    case AVE_ERR_UNSUPPORTED: return AVE_EXIT_INPUT;
    case AVE_ERR_IO:
    case AVE_ERR_NOSPACE: return AVE_EXIT_IO;
    case AVE_ERR_TIMEOUT: return AVE_EXIT_TIMEOUT;
    case AVE_ERR_LIMIT:
    case AVE_ERR_NOMEM: return AVE_EXIT_LIMIT;
    case AVE_ERR_CANCELLED: return AVE_EXIT_CANCELLED;
    default: return AVE_EXIT_INTERNAL;
    }
}
