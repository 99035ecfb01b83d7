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

/* Echoes roundtrips messages on a REP socket connected to ENDPOINT. */
static void *worker (void *ctx)
{
    void *s = zmq_socket (ctx, ZMQ_REP);
    if (!s)
        die ("zmq_socket");
    if (zmq_connect (s, ENDPOINT) != 0)
        die ("zmq_connect");

    zmq_msg_t msg;
    if (zmq_msg_init (&msg) != 0)
        die ("zmq_msg_init");
    for (size_t i = 0; i < roundtrips; i++) {
        if (zmq_msg_recv (&msg, s, 0) < 0)
            die ("zmq_msg_recv");
        if (zmq_msg_send (&msg, s, 0) < 0)
            die ("zmq_msg_send");
    }
    zmq_msg_close (&msg);

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
    if (roundtrips < 1) {
        fprintf (stderr, "roundtrip-count must be at least 1\n");
        return 1;
    }

    void *ctx = zmq_ctx_new ();
    if (!ctx)
        die ("zmq_ctx_new");
    void *s = zmq_socket (ctx, ZMQ_REQ);
    if (!s)
        die ("zmq_socket");
    if (zmq_bind (s, ENDPOINT) != 0)
        die ("zmq_bind");

    pthread_t thread;
    int rc = pthread_create (&thread, NULL, worker, ctx);
    if (rc != 0) {
        fprintf (stderr, "pthread_create: %s\n", strerror (rc));
        return 1;
    }

    zmq_msg_t msg;
    if (zmq_msg_init_size (&msg, size) != 0)
        die ("zmq_msg_init_size");
    if (size > 0)
        memset (zmq_msg_data (&msg), 0, size);

    uint64_t start = now_us ();
    for (size_t i = 0; i < roundtrips; i++) {
        if (zmq_msg_send (&msg, s, 0) < 0)
            die ("zmq_msg_send");
        if (zmq_msg_recv (&msg, s, 0) < 0)
            die ("zmq_msg_recv");
        if (zmq_msg_size (&msg) != size) {
            fprintf (stderr, "message of incorrect size received: %zu, want %zu\n",
                     zmq_msg_size (&msg), size);
            return 1;
        }
    }
    uint64_t elapsed = now_us () - start;
    zmq_msg_close (&msg);
    pthread_join (thread, NULL);

    double latency = (double) elapsed / ((double) roundtrips * 2.0);

    printf ("message size: %d [B]\n", (int) size);
    printf ("roundtrip count: %d\n", (int) roundtrips);
    printf ("average latency: %.3f [us]\n", latency);

    if (zmq_close (s) != 0)
        die ("zmq_close");
    if (zmq_ctx_term (ctx) != 0)
        die ("zmq_ctx_term");
    return 0;
}
