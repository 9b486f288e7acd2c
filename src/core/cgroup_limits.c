/* What the process may really use: the CPU affinity mask and the limits of
 * its control groups (v2 cpu.max and memory.max, or v1 cfs quota and
 * memory.limit_in_bytes), read the way the kernel applies them: every level
 * from the process's own group up to the hierarchy's root can limit, and
 * the smallest limit wins.
 *
 * A job started by `taskset -c 0-7`, `numactl --cpunodebind`, Slurm's
 * --cpus-per-task or a container's CPU quota would otherwise size its
 * threads by the machine's online processors (64 threads for a 4-CPU task),
 * and a memory budget above the group's limit only moves the failure to the
 * OOM killer. Mount points come from mountinfo, so hybrid layouts (v1
 * controllers beside a v2 tree under /sys/fs/cgroup/unified) work too.
 * Paths are read under a root prefix so tests can lay out a fake /proc and
 * /sys. */
#define _GNU_SOURCE
#include <limits.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cgroup_limits.h"

/* Above this a limit is "none": v1 writes LONG_MAX rounded to a page. */
#define UNLIMITED_BYTES (1ll << 62)

typedef struct mount_point {
    char dir[PATH_MAX]; /* where the hierarchy is mounted, under the root prefix */
    char root[PATH_MAX]; /* the hierarchy's path that is mounted there */
    int found;
} mount_point;

static int read_line(const char *path, char *buf, size_t n)
{
    FILE *fp = fopen(path, "r");
    int ok = fp && fgets(buf, (int)n, fp) != NULL;
    if (fp)
        fclose(fp);
    return ok ? 0 : -1;
}

static int has_option(const char *opts, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = opts; (p = strstr(p, name)); p += n)
        if ((p == opts || p[-1] == ',') && (p[n] == ',' || p[n] == '\0' || p[n] == '\n' ||
                                            p[n] == ' '))
            return 1;
    return 0;
}

/* mountinfo: "id parent maj:min root mountpoint opts [optional...] - type src superopts". */
static void find_mounts(const char *prefix, mount_point *v2, mount_point *cpu, mount_point *mem)
{
    char path[PATH_MAX], line[4096];
    snprintf(path, sizeof(path), "%s/proc/self/mountinfo", prefix);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return;
    while (fgets(line, sizeof(line), fp)) {
        char root[PATH_MAX], dir[PATH_MAX], type[64], super[1024];
        const char *dash = strstr(line, " - ");
        if (!dash || sscanf(line, "%*s %*s %*s %4095s %4095s", root, dir) != 2 ||
            sscanf(dash + 3, "%63s %*s %1023s", type, super) != 2)
            continue;
        mount_point *m = NULL;
        if (!strcmp(type, "cgroup2"))
            m = v2;
        else if (!strcmp(type, "cgroup") && has_option(super, "cpu") && !cpu->found)
            m = cpu;
        else if (!strcmp(type, "cgroup") && has_option(super, "memory"))
            m = mem;
        if (!m || m->found)
            continue;
        snprintf(m->dir, sizeof(m->dir), "%s%s", prefix, dir);
        snprintf(m->root, sizeof(m->root), "%s", root);
        m->found = 1;
    }
    fclose(fp);
}

/* The process's group in one hierarchy: "0::/p" for v2, "N:a,b:/p" for v1
 * where the controller list has want. */
static int group_path(const char *prefix, const char *want, char *out, size_t n)
{
    char path[PATH_MAX], line[4096];
    int found = -1;
    snprintf(path, sizeof(path), "%s/proc/self/cgroup", prefix);
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    while (found < 0 && fgets(line, sizeof(line), fp)) {
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2)
            continue;
        *c2 = '\0';
        int v2 = c1[1] == '\0' && !strncmp(line, "0:", 2);
        if (want ? !has_option(c1 + 1, want) : !v2)
            continue;
        snprintf(out, n, "%s", c2 + 1);
        out[strcspn(out, "\n")] = '\0';
        found = 0;
    }
    fclose(fp);
    return found;
}

/* The folder of the process's group inside the mounted hierarchy. */
static int group_dir(const mount_point *m, const char *group, char *out, size_t n)
{
    size_t rl = strlen(m->root);
    const char *rel = group;
    if (!strcmp(m->root, "/"))
        rel = group;
    else if (!strncmp(group, m->root, rl) && (group[rl] == '/' || group[rl] == '\0'))
        rel = group + rl;
    else
        return -1; /* our group is not visible under this mount */
    return snprintf(out, n, "%s%s", m->dir, rel) < (int)n ? 0 : -1;
}

typedef int (*limit_reader)(const char *dir, double *value);

static int v2_cpu(const char *dir, double *cpus)
{
    char path[PATH_MAX + 16], line[128], quota[64];
    double period;
    snprintf(path, sizeof(path), "%s/cpu.max", dir);
    if (read_line(path, line, sizeof(line)) < 0 || sscanf(line, "%63s %lf", quota, &period) != 2 ||
        !strcmp(quota, "max") || period <= 0)
        return -1;
    *cpus = atof(quota) / period;
    return *cpus > 0 ? 0 : -1;
}

static int v1_cpu(const char *dir, double *cpus)
{
    char path[PATH_MAX + 24], line[64];
    double quota, period;
    snprintf(path, sizeof(path), "%s/cpu.cfs_quota_us", dir);
    if (read_line(path, line, sizeof(line)) < 0 || (quota = atof(line)) <= 0)
        return -1; /* -1: no quota */
    snprintf(path, sizeof(path), "%s/cpu.cfs_period_us", dir);
    if (read_line(path, line, sizeof(line)) < 0 || (period = atof(line)) <= 0)
        return -1;
    *cpus = quota / period;
    return 0;
}

static int bytes_limit(const char *dir, const char *file, double *bytes)
{
    char path[PATH_MAX + 32], line[64];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    if (read_line(path, line, sizeof(line)) < 0 || !strncmp(line, "max", 3))
        return -1;
    *bytes = atof(line);
    return *bytes > 0 && *bytes < (double)UNLIMITED_BYTES ? 0 : -1;
}

static int v2_mem(const char *dir, double *bytes)
{
    return bytes_limit(dir, "memory.max", bytes);
}

static int v1_mem(const char *dir, double *bytes)
{
    return bytes_limit(dir, "memory.limit_in_bytes", bytes);
}

/* The smallest limit from dir up to the mount point (0: none). */
static double smallest_up(const mount_point *m, const char *start, limit_reader rd)
{
    char dir[PATH_MAX];
    double best = 0, v;
    size_t base = strlen(m->dir);
    snprintf(dir, sizeof(dir), "%s", start);
    for (;;) {
        if (rd(dir, &v) == 0 && (best == 0 || v < best))
            best = v;
        char *slash = strrchr(dir, '/');
        if (strlen(dir) <= base || !slash || (size_t)(slash - dir) < base)
            break;
        *slash = '\0';
    }
    return best;
}

static double limit_of(const char *prefix, const mount_point *m, const char *controller,
                       limit_reader rd)
{
    char group[PATH_MAX], dir[PATH_MAX];
    if (!m->found || group_path(prefix, controller, group, sizeof(group)) < 0 ||
        group_dir(m, group, dir, sizeof(dir)) < 0)
        return 0;
    return smallest_up(m, dir, rd);
}

void ave_cgroup_limits_read(const char *prefix, ave_cgroup_limits *out)
{
    mount_point v2 = {0}, cpu = {0}, mem = {0};
    memset(out, 0, sizeof(*out));
    find_mounts(prefix, &v2, &cpu, &mem);
    double c2 = limit_of(prefix, &v2, NULL, v2_cpu), c1 = limit_of(prefix, &cpu, "cpu", v1_cpu);
    double m2 = limit_of(prefix, &v2, NULL, v2_mem), m1 = limit_of(prefix, &mem, "memory", v1_mem);
    double c = c2 > 0 && (c1 <= 0 || c2 < c1) ? c2 : c1;
    double b = m2 > 0 && (m1 <= 0 || m2 < m1) ? m2 : m1;
    /* A quota of 1.5 CPUs keeps two threads busy part of the time: round up. */
    out->cpus = c > 0 ? (int)ceil(c - 1e-9) : 0;
    out->memory_bytes = b > 0 ? (int64_t)b : 0;
}

int ave_affinity_cpus(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) < 0)
        return 0;
    return CPU_COUNT(&set);
}
