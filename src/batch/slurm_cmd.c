/* Talking to Slurm through its commands (sbatch, scontrol, sinfo), as a
 * user would: no libslurm, whose ABI changes with every Slurm release, so
 * the binary works against whatever Slurm the cluster runs.
 *
 * Also the checks done before submitting: Slurm is installed, the partition
 * exists (or there is a default one), and the output and input folders are
 * not node-local. A node-local path cannot be proven visible without running
 * something on every node, so the check is by kind of path (tmpfs/ramfs, or
 * under /tmp, /var/tmp, /dev/shm, /run) and each task checks again at run
 * time (see slurm_plan.c). A one-node cluster that is this machine sees
 * everything, unless job_container/tmpfs gives each job a private /tmp. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ave/error.h"
#include "ave/job.h"
#include "core/dynbuf.h"
#include "slurm_internal.h"

extern char **environ;

#define MAX_OUTPUT (64 * 1024 * 1024)
#define CMD_TIMEOUT_S 60.0
#define TMPFS_MAGIC_ 0x01021994
#define RAMFS_MAGIC_ 0x858458f6

/* Appends what fd has to b; 0 at EOF, 1 more to come, <0 error. */
static int drain(int fd, dynbuf *b)
{
    char chunk[4096];
    ssize_t n = read(fd, chunk, sizeof(chunk));
    if (n < 0)
        return errno == EINTR || errno == EAGAIN ? 1 : AVE_ERR_IO;
    if (n == 0)
        return 0;
    return dynbuf_add(b, chunk, (size_t)n) < 0 ? b->err : 1;
}

static void last_line(const char *text, char *err, size_t errlen)
{
    size_t n = text ? strlen(text) : 0;
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
        n--;
    size_t start = n;
    while (start > 0 && text[start - 1] != '\n')
        start--;
    snprintf(err, errlen, "%.*s", (int)(n - start), text ? text + start : "");
}

int slurm_run(const char *const argv[], double timeout_s, char **out, int *status, char *err,
              size_t errlen)
{
    int po[2] = {-1, -1}, pe[2] = {-1, -1};
    dynbuf obuf = DYNBUF_INIT(MAX_OUTPUT), ebuf = DYNBUF_INIT(MAX_OUTPUT);
    posix_spawn_file_actions_t fa;
    pid_t pid = -1;
    int r = AVE_ERR_IO;
    *out = NULL;
    *status = 127;
    err[0] = '\0';
    if (pipe(po) < 0 || pipe(pe) < 0)
        goto out;
    /* The read ends must not leak into the child (it would never see EOF). */
    fcntl(po[0], F_SETFD, FD_CLOEXEC);
    fcntl(pe[0], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, po[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
    int e = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(po[1]);
    close(pe[1]);
    po[1] = pe[1] = -1;
    if (e != 0) {
        pid = -1;
        snprintf(err, errlen, "%s: %s", argv[0], strerror(e));
        r = e == ENOENT ? AVE_ERR_USAGE : AVE_ERR_IO;
        goto out;
    }
    double deadline = ave_now() + (timeout_s > 0 ? timeout_s : CMD_TIMEOUT_S);
    int open_fds = 2;
    struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
    while (open_fds > 0) {
        double left = deadline - ave_now();
        if (left <= 0) {
            kill(pid, SIGKILL);
            snprintf(err, errlen, "%s: no answer in %g s", argv[0], timeout_s);
            r = AVE_ERR_IO;
            goto out;
        }
        if (poll(fds, 2, (int)(left * 1000) + 1) < 0 && errno != EINTR)
            goto out;
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            int d = drain(fds[i].fd, i == 0 ? &obuf : &ebuf);
            if (d < 0) {
                kill(pid, SIGKILL);
                r = d;
                goto out;
            }
            if (d == 0) {
                fds[i].fd = -1;
                open_fds--;
            }
        }
    }
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    pid = -1;
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    last_line(ebuf.data, err, errlen);
    r = dynbuf_take(&obuf, out, NULL);
out:
    if (pid > 0)
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
    for (int i = 0; i < 2; i++) {
        if (po[i] >= 0)
            close(po[i]);
        if (pe[i] >= 0)
            close(pe[i]);
    }
    dynbuf_free(&obuf);
    dynbuf_free(&ebuf);
    return r;
}

void slurm_kv(const char *line, const char *key, char *buf, size_t len)
{
    size_t k = strlen(key);
    const char *end = line + strcspn(line, "\n");
    buf[0] = '\0';
    for (const char *p = line; (p = strstr(p, key)) != NULL && p < end; p += k) {
        if ((p == line || p[-1] == ' ') && p[k] == '=') {
            size_t n = strcspn(p + k + 1, " \n");
            snprintf(buf, len, "%.*s", (int)n, p + k + 1);
            return;
        }
    }
}

void slurm_config_value(const char *text, const char *key, char *buf, size_t len)
{
    size_t k = strlen(key);
    buf[0] = '\0';
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncmp(p, key, k) || (p[k] != ' ' && p[k] != '='))
            continue;
        const char *v = strchr(p, '=');
        if (!v)
            return;
        v++;
        while (*v == ' ')
            v++;
        snprintf(buf, len, "%.*s", (int)strcspn(v, "\n"), v);
        return;
    }
}

void slurm_jobcomp_path(char *buf, size_t len)
{
    const char *argv[] = {"scontrol", "show", "config", NULL};
    char *out = NULL, err[256], type[256];
    int st;
    buf[0] = '\0';
    if (slurm_run(argv, CMD_TIMEOUT_S, &out, &st, err, sizeof(err)) == 0 && st == 0) {
        slurm_config_value(out, "JobCompType", type, sizeof(type));
        if (strstr(type, "filetxt"))
            slurm_config_value(out, "JobCompLoc", buf, len);
    }
    free(out);
}

static int is_this_host(const char *name)
{
    char host[256];
    if (!name[0])
        return 0;
    if (!strcmp(name, "localhost") || !strncmp(name, "127.", 4) || !strcmp(name, "::1"))
        return 1;
    return gethostname(host, sizeof(host)) == 0 && !strcmp(name, host);
}

static void partition_names(const char *text, char *buf, size_t len)
{
    char name[128];
    size_t used = 0;
    buf[0] = '\0';
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        slurm_kv(p, "PartitionName", name, sizeof(name));
        if (name[0] && used + strlen(name) + 3 < len)
            used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", name);
    }
}

void slurm_node_sizes_parse(const char *text, slurm_cluster *cl)
{
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        int cpus;
        long long mem;
        if (sscanf(p, "%d %lld", &cpus, &mem) != 2)
            continue;
        if (cl->node_cpus == 0 || cpus < cl->node_cpus)
            cl->node_cpus = cpus;
        if (cl->node_mem_mb == 0 || mem < cl->node_mem_mb)
            cl->node_mem_mb = mem;
    }
}

/* Smallest CPUs and memory of the partition's nodes (sinfo -N: one line per node). */
static void node_sizes(slurm_cluster *cl)
{
    const char *argv[] = {"sinfo", "-h", "-N", "-p", cl->partition, "-o", "%c %m", NULL};
    char *out = NULL, err[256];
    int st;
    if (slurm_run(argv, CMD_TIMEOUT_S, &out, &st, err, sizeof(err)) < 0 || st != 0) {
        free(out);
        return;
    }
    slurm_node_sizes_parse(out, cl);
    free(out);
}

static void node_is_local(slurm_cluster *cl, const char *node)
{
    const char *argv[] = {"scontrol", "show", "node", node, "-o", NULL};
    char *out = NULL, err[256], addr[256], host[256];
    int st;
    if (slurm_run(argv, CMD_TIMEOUT_S, &out, &st, err, sizeof(err)) == 0 && st == 0) {
        slurm_kv(out, "NodeAddr", addr, sizeof(addr));
        slurm_kv(out, "NodeHostName", host, sizeof(host));
        cl->single_local_node = is_this_host(addr) || is_this_host(host) || is_this_host(node);
    }
    free(out);
}

int slurm_cluster_check(const char *partition, slurm_cluster *cl, char *err, size_t errlen)
{
    char *out = NULL, msg[512], names[512], buf[1024];
    int st, r;
    memset(cl, 0, sizeof(*cl));
    const char *ver[] = {"sbatch", "--version", NULL};
    if ((r = slurm_run(ver, CMD_TIMEOUT_S, &out, &st, msg, sizeof(msg))) < 0 || st != 0) {
        if (r == AVE_ERR_USAGE)
            snprintf(err, errlen,
                     "--engine slurm: sbatch not found in PATH (is Slurm "
                     "installed on this machine?)");
        else
            snprintf(err, errlen, "--engine slurm: sbatch --version failed: %s", msg);
        free(out);
        return r < 0 ? r : AVE_ERR_USAGE;
    }
    free(out);
    const char *all[] = {"scontrol", "show", "partition", "-o", NULL};
    if ((r = slurm_run(all, CMD_TIMEOUT_S, &out, &st, msg, sizeof(msg))) < 0 || st != 0) {
        snprintf(err, errlen, "cannot reach the Slurm controller: %s", msg);
        free(out);
        return r == AVE_ERR_USAGE ? r : AVE_ERR_IO;
    }
    partition_names(out, names, sizeof(names));
    const char *line = NULL;
    for (const char *p = out; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        int match;
        slurm_kv(p, "PartitionName", buf, sizeof(buf));
        if (partition) {
            match = !strcmp(buf, partition);
        } else {
            slurm_kv(p, "Default", buf, sizeof(buf));
            match = !strcmp(buf, "YES");
        }
        if (match) {
            line = p;
            break;
        }
    }
    if (!line) {
        if (partition)
            snprintf(err, errlen, "--partition %s: no such Slurm partition (there are: %s)",
                     partition, names[0] ? names : "none");
        else
            snprintf(err, errlen, "Slurm has no default partition: give --partition (one of: %s)",
                     names[0] ? names : "none");
        free(out);
        return AVE_ERR_USAGE;
    }
    slurm_kv(line, "PartitionName", cl->partition, sizeof(cl->partition));
    slurm_kv(line, "TotalNodes", buf, sizeof(buf));
    cl->total_nodes = atoi(buf);
    slurm_kv(line, "Nodes", buf, sizeof(buf));
    free(out);
    out = NULL;
    if (cl->total_nodes == 1 && buf[0])
        node_is_local(cl, buf);
    node_sizes(cl);
    const char *cfg[] = {"scontrol", "show", "config", NULL};
    if (slurm_run(cfg, CMD_TIMEOUT_S, &out, &st, msg, sizeof(msg)) == 0 && st == 0) {
        slurm_config_value(out, "JobContainerType", buf, sizeof(buf));
        cl->private_tmp = strstr(buf, "tmpfs") != NULL;
        slurm_config_value(out, "JobCompType", buf, sizeof(buf));
        if (strstr(buf, "filetxt"))
            slurm_config_value(out, "JobCompLoc", cl->jobcomp_path, sizeof(cl->jobcomp_path));
    }
    free(out);
    return 0;
}

static int under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == '\0');
}

int slurm_path_visible(const slurm_cluster *cl, const char *path, const char *what, char *err,
                       size_t errlen)
{
    static const char *const local_dirs[] = {"/tmp", "/var/tmp", "/dev/shm", "/run", NULL};
    struct statfs sf;
    const char *why = NULL;
    if (path[0] != '/')
        why = "a relative path";
    if (!why && statfs(path, &sf) == 0 &&
        ((unsigned long)sf.f_type == TMPFS_MAGIC_ || (unsigned long)sf.f_type == RAMFS_MAGIC_))
        why = "on tmpfs, in this machine's memory";
    for (int i = 0; !why && local_dirs[i]; i++)
        if (under(path, local_dirs[i]))
            why = "under a node-local folder";
    if (!why)
        return 0;
    int private_dir = under(path, "/tmp") || under(path, "/dev/shm") || under(path, "/var/tmp");
    if (cl->single_local_node && path[0] == '/' && !(cl->private_tmp && private_dir))
        return 0;
    snprintf(err, errlen,
             "%s: %s is %s, not visible to the nodes of partition %s: use a folder every node "
             "shares (NFS, Lustre, ...)",
             path, what, why, cl->partition);
    return AVE_ERR_IO;
}
