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

/* Exits unless msg holds size bytes. */
static inline void check_size (zmq_msg_t *msg, size_t size)
{
    if (zmq_msg_size (msg) != size) {
        fprintf (stderr, "message of incorrect size received: %zu, want %zu\n",
                 zmq_msg_size (msg), size);
        exit (1);
    }
}

/* The CURVE keys of libzmq's perf tools (perf/local_thr.cpp and
 * remote_thr.cpp): the binding side is the server. */
static const char server_pubkey[] = "DX4nh=yUn{-9ugra0X3Src4SU-4xTgqxcYY.+<SH";
static const char server_prvkey[] = "{X}#>t#jRGaQ}gMhv=30r(Mw+87YGs+5%kh=i@f8";
static const char client_pubkey[] = "<n^oA}I:66W+*ds3tAmi1+KJzv-}k&fC2aA5Bj0K";
static const char client_prvkey[] = "9R9bV}[6z6DC-%$!jTVTKvWc=LEL{4i4gzUe$@Zx";

/* Parses the optional [curve] argument of local_thr and remote_thr: an
 * integer, non-zero for CURVE, as libzmq reads it with atoi. */
static inline int parse_curve (int argc, char *argv[], int at)
{
    return argc > at ? atoi (argv[at]) != 0 : 0;
}

/* Makes s a CURVE server (server != 0) or client with the keys above. */
static inline void set_curve (void *s, int server)
{
    int one = 1;
    int rc = server
      ? zmq_setsockopt (s, ZMQ_CURVE_SECRETKEY, server_prvkey, sizeof server_prvkey)
          | zmq_setsockopt (s, ZMQ_CURVE_SERVER, &one, sizeof one)
      : zmq_setsockopt (s, ZMQ_CURVE_SERVERKEY, server_pubkey, sizeof server_pubkey)
          | zmq_setsockopt (s, ZMQ_CURVE_PUBLICKEY, client_pubkey, sizeof client_pubkey)
          | zmq_setsockopt (s, ZMQ_CURVE_SECRETKEY, client_prvkey, sizeof client_prvkey);
    if (rc != 0)
        die ("zmq_setsockopt (CURVE)");
}

/* The socket pattern. Only the draft build (bench/bin/draft: libzmq
 * 4.3.5 with ZMQ_BUILD_DRAFT_API, `make -C bench/c draft`) takes a leading
 * "-pattern NAME" argument, as zring's tools take -pattern: "client" puts
 * CLIENT and SERVER in place of PUSH and PULL, and of REQ and REP (SERVER
 * replies to the routing id each request carries); "radio" puts RADIO and
 * DISH, in group PERF_GROUP, in place of PUSH and PULL. */
enum { PATTERN_DEFAULT, PATTERN_CLIENT, PATTERN_RADIO };
static int pattern = PATTERN_DEFAULT;
#define PERF_GROUP "perf"

/* Takes a leading "-pattern NAME" off the arguments; exits on a pattern
 * the build cannot serve. */
static inline void parse_pattern (int *argc, char ***argv)
{
    if (*argc < 3 || strcmp ((*argv)[1], "-pattern") != 0)
        return;
    const char *name = (*argv)[2];
#ifdef ZMQ_BUILD_DRAFT_API
    if (strcmp (name, "client") == 0)
        pattern = PATTERN_CLIENT;
    else if (strcmp (name, "radio") == 0)
        pattern = PATTERN_RADIO;
    else
#endif
    if (strcmp (name, "push") != 0 && strcmp (name, "req") != 0) {
        fprintf (stderr, "unknown -pattern %s (client and radio need the draft build)\n", name);
        exit (1);
    }
    (*argv)[2] = (*argv)[0];
    *argv += 2;
    *argc -= 2;
}

/* pattern_type maps the tools' socket type to the pattern's. */
static inline int pattern_type (int type)
{
#ifdef ZMQ_BUILD_DRAFT_API
    int sender = type == ZMQ_PUSH || type == ZMQ_REQ;
    if (pattern == PATTERN_CLIENT)
        return sender ? ZMQ_CLIENT : ZMQ_SERVER;
    if (pattern == PATTERN_RADIO && (type == ZMQ_PUSH || type == ZMQ_PULL))
        return sender ? ZMQ_RADIO : ZMQ_DISH;
#endif
    return type;
}

/* Makes a socket of type and binds it to endpoint (bind != 0) or connects
 * it, connections times (remote_thr -connections; 1 elsewhere), under
 * CURVE if curve != 0. */
static inline void *open_socket (void *ctx, int type, int bind, const char *endpoint,
                                 size_t connections, int curve)
{
    type = pattern_type (type);
    void *s = zmq_socket (ctx, type);
    if (!s)
        die ("zmq_socket");
#ifdef ZMQ_BUILD_DRAFT_API
    if (type == ZMQ_DISH && zmq_join (s, PERF_GROUP) != 0)
        die ("zmq_join");
    /* Lossless, as the fan-out tools' XPUB: the RADIO waits at the HWM. */
    int one = 1;
    if (type == ZMQ_RADIO && zmq_setsockopt (s, ZMQ_XPUB_NODROP, &one, sizeof one) != 0)
        die ("zmq_setsockopt (XPUB_NODROP)");
#endif
    if (curve)
        set_curve (s, bind);
    if (bind) {
        if (zmq_bind (s, endpoint) != 0)
            die ("zmq_bind");
        return s;
    }
    for (size_t i = 0; i < connections; i++)
        if (zmq_connect (s, endpoint) != 0)
            die ("zmq_connect");
    if (pattern == PATTERN_RADIO) {
        /* A RADIO drops what it sends before the DISH's JOIN arrives. */
        struct timespec ts = {1, 0};
        nanosleep (&ts, NULL);
    }
    return s;
}

/* Sends count messages of size bytes, contents left uninitialised as in
 * libzmq. */
static inline void send_messages (void *s, size_t size, size_t count)
{
    zmq_msg_t msg;
    for (size_t i = 0; i < count; i++) {
        if (zmq_msg_init_size (&msg, size) != 0)
            die ("zmq_msg_init_size");
#ifdef ZMQ_BUILD_DRAFT_API
        if (pattern == PATTERN_RADIO && zmq_msg_set_group (&msg, PERF_GROUP) != 0)
            die ("zmq_msg_set_group");
#endif
        if (zmq_msg_send (&msg, s, 0) < 0)
            die ("zmq_msg_send");
        /* A sent message is empty; closing it is a cheap no-op. */
        zmq_msg_close (&msg);
    }
}

/* Receives count messages of size bytes and returns the microseconds since
 * the first one arrived (at least 1): libzmq's local_thr timing. With got
 * set, the transport is lossy (udp://): it stops at count messages or at a
 * second without one (as zring's perfutil.LossyIdle), sets *got to the
 * number received and times up to the last. */
static inline uint64_t receive_messages (void *s, size_t size, size_t count, size_t *got)
{
    zmq_msg_t msg;
    if (zmq_msg_init (&msg) != 0)
        die ("zmq_msg_init");
    uint64_t start = 0, last = 0;
    size_t n = 0;
    for (; n < count; n++) {
        if (zmq_msg_recv (&msg, s, 0) < 0) {
            if (got && n > 0 && errno == EAGAIN)
                break;
            die ("zmq_msg_recv");
        }
        check_size (&msg, size);
        if (n == 0) {
            start = now_us ();
            int idle = 1000;
            if (got && zmq_setsockopt (s, ZMQ_RCVTIMEO, &idle, sizeof idle) != 0)
                die ("zmq_setsockopt (RCVTIMEO)");
        } else if (got)
            last = now_us ();
    }
    zmq_msg_close (&msg);
    if (got)
        *got = n;
    else
        last = now_us ();
    uint64_t elapsed = n > 1 ? last - start : 0;
    return elapsed == 0 ? 1 : elapsed;
}

/* Over udp:// a RADIO's datagrams that find the DISH's socket buffer full
 * are lost, so a receiver cannot wait for all of them. */
static inline int lossy (const char *endpoint)
{
    return strncmp (endpoint, "udp://", 6) == 0;
}

/* Prints the line a lossy local_thr adds, as zring's perfmt.PrintLoss. */
static inline void print_loss (size_t lost, size_t sent)
{
    printf ("message loss: %zu of %zu (%.2f%%)\n", lost, sent, 100.0 * (double) lost / (double) (sent ? sent : 1));
}

/* Monotonic clock in nanoseconds. */
static inline uint64_t now_ns (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

/* Does n request/reply round trips of size bytes (zeroed) and returns the
 * microseconds they took. Unless laps is NULL, laps[i] gets the
 * nanoseconds round trip i took, from a clock_gettime per round trip
 * (the first from the start, so that they add up to the elapsed time). */
static inline uint64_t round_trips (void *s, size_t size, size_t n, uint64_t *laps)
{
    zmq_msg_t msg;
    if (zmq_msg_init_size (&msg, size) != 0)
        die ("zmq_msg_init_size");
    if (size > 0)
        memset (zmq_msg_data (&msg), 0, size);
    uint64_t start = now_us ();
    uint64_t lap_start = laps ? now_ns () : 0;
    for (size_t i = 0; i < n; i++) {
        if (zmq_msg_send (&msg, s, 0) < 0)
            die ("zmq_msg_send");
        if (zmq_msg_recv (&msg, s, 0) < 0)
            die ("zmq_msg_recv");
        check_size (&msg, size);
        if (laps) {
            uint64_t end = now_ns ();
            laps[i] = end - lap_start;
            lap_start = end;
        }
    }
    uint64_t elapsed = now_us () - start;
    zmq_msg_close (&msg);
    return elapsed;
}

/* Sends each of n messages back; with check, each must hold size bytes. */
static inline void echo (void *s, size_t size, int check, size_t n)
{
    zmq_msg_t msg;
    if (zmq_msg_init (&msg) != 0)
        die ("zmq_msg_init");
    for (size_t i = 0; i < n; i++) {
        if (zmq_msg_recv (&msg, s, 0) < 0)
            die ("zmq_msg_recv");
        if (check)
            check_size (&msg, size);
        if (zmq_msg_send (&msg, s, 0) < 0)
            die ("zmq_msg_send");
    }
    zmq_msg_close (&msg);
}

/* libzmq's throughput formula: n messages over elapsed microseconds, in
 * whole messages per second; a zero elapsed time counts as 1 us. */
static inline unsigned long rate (size_t n, uint64_t elapsed)
{
    return (unsigned long) ((double) n / (double) (elapsed ? elapsed : 1) * 1000000.0);
}

/* Prints local_thr's lines for a rate computed by the caller (sub_thr:
 * the aggregate over all subscribers, with the count per subscriber). */
static inline void print_rate (size_t size, size_t count, unsigned long throughput)
{
    double megabits = (double) throughput * (double) size * 8.0 / 1000000.0;
    printf ("message size: %d [B]\n", (int) size);
    printf ("message count: %d\n", (int) count);
    printf ("mean throughput: %d [msg/s]\n", (int) throughput);
    printf ("mean throughput: %.3f [Mb/s]\n", megabits);
}

/* Prints local_thr's lines: count/elapsed, as libzmq computes it. */
static inline void print_throughput (size_t size, size_t count, uint64_t elapsed)
{
    print_rate (size, count, rate (count, elapsed));
}

/* Prints remote_lat's lines: half the round-trip time. */
static inline void print_latency (size_t size, size_t roundtrips, uint64_t elapsed)
{
    double latency = (double) elapsed / ((double) roundtrips * 2.0);
    printf ("message size: %d [B]\n", (int) size);
    printf ("roundtrip count: %d\n", (int) roundtrips);
    printf ("average latency: %.3f [us]\n", latency);
}

/* qsort order of uint64_t. */
static inline int compare_u64 (const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return (x > y) - (x < y);
}

/* The per_mille/1000 quantile of sorted[0..n) by the nearest-rank rule of
 * perf/internal/perfutil.Percentile: rank ceil(per_mille*n/1000), from 1,
 * at least 1 (integer arithmetic, so the ranks are exact); 0 if n is 0. */
static inline uint64_t percentile (const uint64_t *sorted, size_t n, size_t per_mille)
{
    if (n == 0)
        return 0;
    size_t rank = (per_mille * n + 999) / 1000;
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return sorted[rank - 1];
}

/* Sorts laps[0..n) (round trips in ns) and prints remote_lat's line after
 * print_latency's: p50, p90, p99, p99.9 and max of half the round-trip
 * time in us, as perf/perfmt.PrintPercentiles does. */
static inline void print_percentiles (uint64_t *laps, size_t n)
{
    qsort (laps, n, sizeof *laps, compare_u64);
    printf ("latency percentiles: p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f max %.3f [us]\n",
            (double) percentile (laps, n, 500) / 2000.0,
            (double) percentile (laps, n, 900) / 2000.0,
            (double) percentile (laps, n, 990) / 2000.0,
            (double) percentile (laps, n, 999) / 2000.0,
            (double) percentile (laps, n, 1000) / 2000.0);
}

/* Closes s and terminates ctx (which waits for linger). */
static inline void close_all (void *s, void *ctx)
{
    if (zmq_close (s) != 0)
        die ("zmq_close");
    if (zmq_ctx_term (ctx) != 0)
        die ("zmq_ctx_term");
}

/* Creates a context or exits. */
static inline void *new_context (void)
{
    void *ctx = zmq_ctx_new ();
    if (!ctx)
        die ("zmq_ctx_new");
    return ctx;
}

/* Exits unless count is at least 1. */
static inline void require_positive (const char *name, size_t count)
{
    if (count < 1) {
        fprintf (stderr, "%s must be at least 1\n", name);
        exit (1);
    }
}

#endif
