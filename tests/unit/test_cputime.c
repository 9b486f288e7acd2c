/* CPU-time helpers of the per-stage metrics (src/core/cputime.c): a thread
 * named by its creator spins ~0.2 CPU s; while it lives,
 * ave_named_threads_cpu_s finds about that much under its name (the
 * caller's own time never counts, other names are not found), and the
 * thread's and process's clocks move forward by at least the work done. */
#define _GNU_SOURCE /* pthread_setname_np */
#include <pthread.h>
#include <stdatomic.h>

#include "ave/ave.h"
#include "check.h"

#define WORK_S 0.2

typedef struct spinner {
    atomic_int done;  /* the work is finished; the thread now waits */
    atomic_int leave; /* the test has measured: exit */
    double cpu_s;     /* the spinner's own thread clock at the end of its work */
} spinner;

static void *spin(void *arg)
{
    spinner *s = arg;
    double t0 = ave_thread_cpu_s();
    volatile double x = 0;

    while (ave_thread_cpu_s() - t0 < WORK_S)
        for (int i = 0; i < 10000; i++)
            x += i * 0.5;
    s->cpu_s = ave_thread_cpu_s() - t0;
    atomic_store(&s->done, 1);
    while (!atomic_load(&s->leave))
        ;
    return NULL;
}

int main(void)
{
    spinner s = {0};
    pthread_t tid;
    double p0 = ave_process_cpu_s(), found, mine;
    char old[16] = "";

    /* Named the way the frame sampler names FFmpeg's threads: the creator
     * takes the name for the creation only. */
    CHECK(pthread_getname_np(pthread_self(), old, sizeof(old)) == 0);
    CHECK(pthread_setname_np(pthread_self(), "avetest-spin") == 0);
    CHECK(pthread_create(&tid, NULL, spin, &s) == 0);
    CHECK(pthread_setname_np(pthread_self(), old) == 0);
    while (!atomic_load(&s.done))
        ;
    found = ave_named_threads_cpu_s("avetest-spin");
    mine = ave_named_threads_cpu_s(old); /* only the caller has that name */
    atomic_store(&s.leave, 1);
    pthread_join(tid, NULL);

    CHECK(s.cpu_s >= WORK_S);
    /* schedstat and the thread clock count the same time; the spinner also
     * ran a little after its clock was read, while waiting to leave. */
    CHECK(found >= s.cpu_s - 0.01);
    CHECK(found <= s.cpu_s + 5.0);
    CHECK(mine == 0);
    CHECK(ave_named_threads_cpu_s("avetest-nobody") == 0);
    CHECK(ave_process_cpu_s() - p0 >= s.cpu_s);
    CHECK(ave_thread_cpu_s() > 0);
    return CHECK_DONE();
}
