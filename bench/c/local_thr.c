/* local_thr <bind-to> <message-size> <message-count>
 *
 * PULL binds and receives message-count messages. The stopwatch starts
 * after the first message arrives, so it covers count-1 messages, but the
 * rate is computed as count/elapsed, exactly like libzmq's local_thr.
 */
#include "perf.h"

int main (int argc, char *argv[])
{
    if (argc != 4) {
        fprintf (stderr, "usage: local_thr <bind-to> <message-size> <message-count>\n");
        return 1;
    }
    const char *bind_to = argv[1];
    size_t size = parse_count ("message-size", argv[2]);
    size_t count = parse_count ("message-count", argv[3]);
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
    if (zmq_bind (s, bind_to) != 0)
        die ("zmq_bind");

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
