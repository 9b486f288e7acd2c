/* Small filesystem helpers shared by the job and the pipeline (internal).
 * All return 0 or a negative errno value unless stated otherwise. */
#ifndef AVE_CORE_FSUTIL_H
#define AVE_CORE_FSUTIL_H

#include <stddef.h>
#include <stdint.h>

/* mkdir -p with mode 0755 for each created level. */
int ave_fs_mkdir_p(const char *path);

/* Remove a file or a folder tree; a missing path is not an error. Does not
 * follow symbolic links. */
int ave_fs_remove_tree(const char *path);

/* Total bytes of regular files under path (0 when missing). */
int64_t ave_fs_tree_bytes(const char *path);

/* "a/b" from "a" and "b"; caller frees. NULL on allocation failure. */
char *ave_fs_join(const char *dir, const char *name);

/* Check that path could be created or written: it is a writable folder, or
 * its nearest existing ancestor is. Returns 0, -ENOTDIR or -EACCES/-EROFS. */
int ave_fs_check_writable_dir(const char *path);

/* fsync a file by path (used before renaming outputs into place). */
int ave_fs_sync_file(const char *path);

/* Remove entries of dir named "<prefix><pid>-..." or "<prefix><pid>" whose
 * process no longer exists: leftovers of a crashed run. Returns how many were
 * removed (>= 0). */
int ave_fs_remove_stale(const char *dir, const char *prefix);

/* Read a whole file of at most max bytes; *buf malloc'd and NUL-terminated
 * (caller frees), *len its length. Returns 0, AVE_ERR_INPUT (errno set:
 * missing, unreadable, too large) or AVE_ERR_NOMEM. */
int ave_fs_read_file(const char *path, size_t max, char **buf, size_t *len);

#endif
