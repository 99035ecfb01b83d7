/* sub_thr <connect-to> <message-size> <message-count> [subscribers]
 *
 * The measuring side of the fan-out throughput test (pub_thr publishes;
 * perf/sub_thr is zring's twin). It opens [subscribers] (1 when left out)
 * SUB sockets on one context, each subscribed to everything and connected
 * to the publisher, and receives message-count messages of message-size
 * bytes on each, a POSIX thread per socket, checking their sizes.
 *
 * It prints local_thr's four lines, where "message count" is the count per
 * subscriber and the throughput is the aggregate delivered rate:
 * subscribers*message-count over the time from the first message received
 * on any subscriber to the last message received on any. Then
 *
 *   slowest subscriber: N [msg/s]
 *
 * the lowest of the subscribers' own rates, each message-count over the
 * time from its first message to its last (libzmq's local_thr timing).
 */
#include "perf.h"

#include <pthread.h>

struct subscriber {
    void *s;
    size_t size, count;
    uint64_t first, last; /* now_us () at the first and the last message */
};

static void *subscribe (void *arg)
{
    struct subscriber *sub = arg;
    zmq_msg_t msg;
    if (zmq_msg_init (&msg) != 0)
        die ("zmq_msg_init");
    for (size_t i = 0; i < sub->count; i++) {
        if (zmq_msg_recv (&msg, sub->s, 0) < 0)
            die ("zmq_msg_recv");
        check_size (&msg, sub->size);
        if (i == 0)
            sub->first = now_us ();
    }
    sub->last = now_us ();
    zmq_msg_close (&msg);
    if (zmq_close (sub->s) != 0)
        die ("zmq_close");
    return NULL;
}

int main (int argc, char *argv[])
{
    if (argc != 4 && argc != 5) {
        fprintf (stderr, "usage: sub_thr <connect-to> <message-size> <message-count> [subscribers]\n");
        return 1;
    }
    size_t size = parse_count ("message-size", argv[2]);
    size_t count = parse_count ("message-count", argv[3]);
    size_t n = argc > 4 ? parse_count ("subscribers", argv[4]) : 1;
    require_positive ("message-count", count);
    require_positive ("subscribers", n);

    void *ctx = new_context ();
    struct subscriber *subs = calloc (n, sizeof *subs);
    pthread_t *threads = calloc (n, sizeof *threads);
    if (!subs || !threads) {
        fprintf (stderr, "out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        subs[i].s = open_socket (ctx, ZMQ_SUB, 0, argv[1], 1, 0);
        if (zmq_setsockopt (subs[i].s, ZMQ_SUBSCRIBE, "", 0) != 0)
            die ("zmq_setsockopt (ZMQ_SUBSCRIBE)");
        subs[i].size = size;
        subs[i].count = count;
        if (pthread_create (&threads[i], NULL, subscribe, &subs[i]) != 0) {
            fprintf (stderr, "pthread_create failed\n");
            return 1;
        }
    }
    uint64_t first = UINT64_MAX, last = 0, slowest = UINT64_MAX;
    for (size_t i = 0; i < n; i++) {
        pthread_join (threads[i], NULL);
        if (subs[i].first < first)
            first = subs[i].first;
        if (subs[i].last > last)
            last = subs[i].last;
        uint64_t r = rate (count, subs[i].last - subs[i].first);
        if (r < slowest)
            slowest = r;
    }
    print_rate (size, count, rate (n * count, last - first));
    printf ("slowest subscriber: %d [msg/s]\n", (int) slowest);

    free (threads);
    free (subs);
    if (zmq_ctx_term (ctx) != 0)
        die ("zmq_ctx_term");
    return 0;
}
