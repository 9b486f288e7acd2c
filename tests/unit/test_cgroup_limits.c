/* Control-group limits read from fake /proc and /sys trees: cgroup v2 (a
 * quota and a memory limit on a parent level), a hybrid v1 layout like
 * Debian's Docker hosts (cpu and memory controllers, a v2 tree under
 * unified/), no limits at all, and a container whose mount root is its own
 * group. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "core/cgroup_limits.h"

static char base[256];

static void put(const char *rel, const char *text)
{
    char p[1024];
    snprintf(p, sizeof(p), "%s/%s", base, rel);
    for (char *s = p + strlen(base) + 1; (s = strchr(s, '/')); s++) {
        *s = '\0';
        mkdir(p, 0755);
        *s = '/';
    }
    FILE *f = fopen(p, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void fresh(const char *name)
{
    snprintf(base, sizeof(base), "%s/%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", name);
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
    CHECK_EQ_INT(system(cmd), 0);
    mkdir(base, 0755);
}

static void test_v2(void)
{
    ave_cgroup_limits l;
    fresh("ave-cg-v2");
    put("proc/self/mountinfo",
        "25 1 0:22 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
        "26 1 0:23 / /proc rw - proc proc rw\n");
    put("proc/self/cgroup", "0::/slurm/job42/step0\n");
    /* 2.5 CPUs on the job, a wider 8 on the step is looser: the job wins. */
    put("sys/fs/cgroup/slurm/job42/step0/cpu.max", "800000 100000\n");
    put("sys/fs/cgroup/slurm/job42/cpu.max", "250000 100000\n");
    put("sys/fs/cgroup/slurm/cpu.max", "max 100000\n");
    put("sys/fs/cgroup/slurm/job42/step0/memory.max", "max\n");
    put("sys/fs/cgroup/slurm/memory.max", "4294967296\n");
    ave_cgroup_limits_read(base, &l);
    CHECK_EQ_INT(l.cpus, 3); /* 2.5 rounded up */
    CHECK_EQ_INT(l.memory_bytes, 4294967296LL);
}

static void test_hybrid_v1(void)
{
    ave_cgroup_limits l;
    fresh("ave-cg-v1");
    put("proc/self/mountinfo",
        "30 25 0:26 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n"
        "31 25 0:27 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"
        "32 25 0:28 / /sys/fs/cgroup/cpuacct rw - cgroup cgroup rw,cpuacct\n"
        "33 25 0:29 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
    put("proc/self/cgroup", "4:memory:/box/7\n3:cpuacct:/\n2:cpu:/box/7\n0::/\n");
    put("sys/fs/cgroup/cpu/box/7/cpu.cfs_quota_us", "-1\n");
    put("sys/fs/cgroup/cpu/box/7/cpu.cfs_period_us", "100000\n");
    put("sys/fs/cgroup/cpu/box/cpu.cfs_quota_us", "100000\n");
    put("sys/fs/cgroup/cpu/box/cpu.cfs_period_us", "100000\n");
    put("sys/fs/cgroup/memory/box/7/memory.limit_in_bytes", "536870912\n");
    put("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
    ave_cgroup_limits_read(base, &l);
    CHECK_EQ_INT(l.cpus, 1);
    CHECK_EQ_INT(l.memory_bytes, 536870912LL);
}

static void test_unlimited(void)
{
    ave_cgroup_limits l;
    fresh("ave-cg-none");
    put("proc/self/mountinfo", "25 1 0:22 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
    put("proc/self/cgroup", "0::/user.slice\n");
    put("sys/fs/cgroup/user.slice/cpu.max", "max 100000\n");
    put("sys/fs/cgroup/user.slice/memory.max", "max\n");
    ave_cgroup_limits_read(base, &l);
    CHECK_EQ_INT(l.cpus, 0);
    CHECK_EQ_INT(l.memory_bytes, 0);
    /* No /proc at all (another OS, a sandbox): no limits, no failure. */
    fresh("ave-cg-missing");
    ave_cgroup_limits_read(base, &l);
    CHECK_EQ_INT(l.cpus, 0);
    CHECK_EQ_INT(l.memory_bytes, 0);
}

static void test_container_root(void)
{
    ave_cgroup_limits l;
    /* A container sees its own group mounted as the root of the tree. */
    fresh("ave-cg-ns");
    put("proc/self/mountinfo",
        "40 30 0:33 /docker/abc /sys/fs/cgroup ro - cgroup2 cgroup2 rw\n");
    put("proc/self/cgroup", "0::/docker/abc\n");
    put("sys/fs/cgroup/cpu.max", "150000 100000\n");
    put("sys/fs/cgroup/memory.max", "1073741824\n");
    ave_cgroup_limits_read(base, &l);
    CHECK_EQ_INT(l.cpus, 2);
    CHECK_EQ_INT(l.memory_bytes, 1073741824LL);
}

int main(void)
{
    test_v2();
    test_hybrid_v1();
    test_unlimited();
    test_container_root();
    CHECK(ave_affinity_cpus() >= 1);
    return CHECK_DONE();
}
