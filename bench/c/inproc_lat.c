/* inproc_lat <message-size> <roundtrip-count>
 *
 * The main thread's REQ socket binds inproc://lat_test; a worker thread's
 * REP socket connects and echoes. As in libzmq's inproc_lat, the stopwatch
 * starts right after the worker thread is started, so its connect falls
 * inside the measurement. Reports elapsed / (2 * roundtrips): half the
 * round-trip time.
 */
#include "perf.h"

#include <pthread.h>

#define ENDPOINT "inproc://lat_test"

static size_t roundtrips;

/* Echoes roundtrips messages on a REP socket connected to ENDPOINT,
 * unchecked, as libzmq's worker does. */
static void *worker (void *ctx)
{
    void *s = open_socket (ctx, ZMQ_REP, 0, ENDPOINT, 1, 0);
    echo (s, 0, 0, roundtrips);
    if (zmq_close (s) != 0)
        die ("zmq_close");
    return NULL;
}

int main (int argc, char *argv[])
{
    if (argc != 3) {
        fprintf (stderr, "usage: inproc_lat <message-size> <roundtrip-count>\n");
        return 1;
    }
    size_t size = parse_count ("message-size", argv[1]);
    roundtrips = parse_count ("roundtrip-count", argv[2]);
    require_positive ("roundtrip-count", roundtrips);

    void *ctx = new_context ();
    void *s = open_socket (ctx, ZMQ_REQ, 1, ENDPOINT, 1, 0);
    pthread_t thread;
    int rc = pthread_create (&thread, NULL, worker, ctx);
    if (rc != 0) {
        fprintf (stderr, "pthread_create: %s\n", strerror (rc));
        return 1;
    }
    uint64_t elapsed = round_trips (s, size, roundtrips, NULL);
    pthread_join (thread, NULL);
    print_latency (size, roundtrips, elapsed);
    close_all (s, ctx);
    return 0;
}
