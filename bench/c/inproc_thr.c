/* inproc_thr <message-size> <message-count>
 *
 * A worker thread's PUSH socket connects to inproc://thr_test and sends
 * message-count messages; the main thread's PULL socket binds it and
 * receives them. As in local_thr, the stopwatch starts after the first
 * message arrives, so it covers count-1 messages, but the rate is computed
 * as count/elapsed, exactly like libzmq's inproc_thr.
 */
#include "perf.h"

#include <pthread.h>

#define ENDPOINT "inproc://thr_test"

static size_t size;
static size_t count;

/* Sends count messages of size bytes (contents not initialised, as in
 * libzmq) from a PUSH socket connected to ENDPOINT. */
static void *worker (void *ctx)
{
    void *s = zmq_socket (ctx, ZMQ_PUSH);
    if (!s)
        die ("zmq_socket");
    if (zmq_connect (s, ENDPOINT) != 0)
        die ("zmq_connect");

    zmq_msg_t msg;
    for (size_t i = 0; i < count; i++) {
        if (zmq_msg_init_size (&msg, size) != 0)
            die ("zmq_msg_init_size");
        if (zmq_msg_send (&msg, s, 0) < 0)
            die ("zmq_msg_send");
        zmq_msg_close (&msg);
    }

    if (zmq_close (s) != 0)
        die ("zmq_close");
    return NULL;
}

int main (int argc, char *argv[])
{
    if (argc != 3) {
        fprintf (stderr, "usage: inproc_thr <message-size> <message-count>\n");
        return 1;
    }
    size = parse_count ("message-size", argv[1]);
    count = parse_count ("message-count", argv[2]);
    if (count < 1) {
        fprintf (stderr, "message-count must be at least 1\n");
        return 1;
    }

    void *ctx = zmq_ctx_new ();
    if (!ctx)
        die ("zmq_ctx_new");
    void *s = zmq_socket (ctx, ZMQ_PULL);
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
    if (zmq_msg_init (&msg) != 0)
        die ("zmq_msg_init");

    uint64_t start = 0;
    for (size_t i = 0; i < count; i++) {
        if (zmq_msg_recv (&msg, s, 0) < 0)
            die ("zmq_msg_recv");
        if (zmq_msg_size (&msg) != size) {
            fprintf (stderr, "message of incorrect size received: %zu, want %zu\n",
                     zmq_msg_size (&msg), size);
            return 1;
        }
        if (i == 0)
            start = now_us ();
    }
    uint64_t elapsed = now_us () - start;
    if (elapsed == 0)
        elapsed = 1;

    zmq_msg_close (&msg);
    pthread_join (thread, NULL);

    unsigned long throughput =
      (unsigned long) ((double) count / (double) elapsed * 1000000.0);
    double megabits = (double) throughput * (double) size * 8.0 / 1000000.0;

    printf ("message size: %d [B]\n", (int) size);
    printf ("message count: %d\n", (int) count);
    printf ("mean throughput: %d [msg/s]\n", (int) throughput);
    printf ("mean throughput: %.3f [Mb/s]\n", megabits);

    if (zmq_close (s) != 0)
        die ("zmq_close");
    if (zmq_ctx_term (ctx) != 0)
        die ("zmq_ctx_term");
    return 0;
}
