/* remote_thr [-connections N] <connect-to> <message-size> <message-count>
 *
 * PUSH connects (N times over as many TCP connections, round-robin: not in
 * libzmq's tool, which has N = 1) and sends message-count messages of
 * message-size bytes
 * (contents left uninitialised, as in libzmq), then closes with infinite
 * linger and terminates the context so that every message is delivered.
 * Prints nothing.
 */
#include "perf.h"

int main (int argc, char *argv[])
{
    size_t connections = 1;
    if (argc == 6 && strcmp (argv[1], "-connections") == 0) {
        connections = parse_count ("connections", argv[2]);
        argc -= 2;
        argv += 2;
    }
    if (argc != 4 || connections < 1) {
        fprintf (stderr, "usage: remote_thr [-connections N] <connect-to> <message-size> <message-count>\n");
        return 1;
    }
    const char *connect_to = argv[1];
    size_t size = parse_count ("message-size", argv[2]);
    size_t count = parse_count ("message-count", argv[3]);

    void *ctx = zmq_ctx_new ();
    if (!ctx)
        die ("zmq_ctx_new");
    void *s = zmq_socket (ctx, ZMQ_PUSH);
    if (!s)
        die ("zmq_socket");
    int linger = -1;
    if (zmq_setsockopt (s, ZMQ_LINGER, &linger, sizeof linger) != 0)
        die ("zmq_setsockopt");
    for (size_t i = 0; i < connections; i++)
        if (zmq_connect (s, connect_to) != 0)
            die ("zmq_connect");

    zmq_msg_t msg;
    for (size_t i = 0; i < count; i++) {
        if (zmq_msg_init_size (&msg, size) != 0)
            die ("zmq_msg_init_size");
        if (zmq_msg_send (&msg, s, 0) < 0)
            die ("zmq_msg_send");
        /* A sent message is empty; closing it is a cheap no-op. */
        zmq_msg_close (&msg);
    }

    if (zmq_close (s) != 0)
        die ("zmq_close");
    if (zmq_ctx_term (ctx) != 0)
        die ("zmq_ctx_term");
    return 0;
}
