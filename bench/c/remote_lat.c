/* remote_lat <connect-to> <message-size> <roundtrip-count>
 *
 * REQ connects and performs roundtrip-count request/reply round trips.
 * The stopwatch starts right after the (asynchronous) connect call, so
 * the connection handshake falls inside the measurement, as in libzmq.
 * Reports elapsed / (2 * roundtrips): half the round-trip time.
 */
#include "perf.h"

int main (int argc, char *argv[])
{
    if (argc != 4) {
        fprintf (stderr, "usage: remote_lat <connect-to> <message-size> <roundtrip-count>\n");
        return 1;
    }
    const char *connect_to = argv[1];
    size_t size = parse_count ("message-size", argv[2]);
    size_t roundtrips = parse_count ("roundtrip-count", argv[3]);
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
    if (zmq_connect (s, connect_to) != 0)
        die ("zmq_connect");

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
