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

/* Sends count messages of size bytes from a PUSH socket connected to
 * ENDPOINT. */
static void *worker (void *ctx)
{
    void *s = open_socket (ctx, ZMQ_PUSH, 0, ENDPOINT, 1, 0);
    send_messages (s, size, count);
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
    require_positive ("message-count", count);

    void *ctx = new_context ();
    void *s = open_socket (ctx, ZMQ_PULL, 1, ENDPOINT, 1, 0);
    pthread_t thread;
    int rc = pthread_create (&thread, NULL, worker, ctx);
    if (rc != 0) {
        fprintf (stderr, "pthread_create: %s\n", strerror (rc));
        return 1;
    }
    uint64_t elapsed = receive_messages (s, size, count, NULL);
    pthread_join (thread, NULL);
    print_throughput (size, count, elapsed);
    close_all (s, ctx);
    return 0;
}
