/*
** clock.h — monotonic seconds for the benchmarks (needs _POSIX_C_SOURCE).
*/
#ifndef SARX_BENCH_CLOCK_H
#define SARX_BENCH_CLOCK_H

#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#endif
