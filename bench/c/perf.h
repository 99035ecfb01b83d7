/* Shared helpers for the libzmq baseline perf tools (bench/c).
 *
 * These tools mirror the arguments, timer placement, formulas and output
 * of libzmq's perf/ tools so that figures are directly comparable with
 * both upstream numbers and zring's Go tools in perf/.
 */
#ifndef ZRING_BENCH_PERF_H
#define ZRING_BENCH_PERF_H

#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

/* Monotonic clock in microseconds. */
static inline uint64_t now_us (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u;
}

/* Parses a non-negative decimal argument or exits. */
static inline size_t parse_count (const char *name, const char *s)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull (s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || s[0] == '-') {
        fprintf (stderr, "invalid %s: %s\n", name, s);
        exit (1);
    }
    return (size_t) v;
}

/* Reports a failed libzmq call and exits. */
static inline void die (const char *what)
{
    fprintf (stderr, "error in %s: %s\n", what, zmq_strerror (zmq_errno ()));
    exit (1);
}

#endif
