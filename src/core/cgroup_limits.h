/* CPU and memory limits that apply to this process beyond the machine's
 * size: the affinity mask and control-group limits (internal to core; see
 * cgroup_limits.c). */
#ifndef AVE_CORE_CGROUP_LIMITS_H
#define AVE_CORE_CGROUP_LIMITS_H

#include <stdint.h>

typedef struct ave_cgroup_limits {
    int cpus;             /* CPU quota rounded up; 0: no quota */
    int64_t memory_bytes; /* memory limit; 0: none */
} ave_cgroup_limits;

/* Read the limits of the process's own groups, every level up to each
 * hierarchy's root (the smallest wins), v2 and v1 alike. prefix is put in
 * front of /proc and the mount points ("" for the real system; tests pass a
 * folder with a fake tree). Missing files mean no limit. */
void ave_cgroup_limits_read(const char *prefix, ave_cgroup_limits *out);

/* Processors in this process's affinity mask (taskset, numactl, Slurm);
 * 0 when unknown. */
int ave_affinity_cpus(void);

#endif
