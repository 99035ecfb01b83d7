/* remote_thr [-connections N] <connect-to> <message-size> <message-count> [curve]
 *
 * PUSH connects (N times over as many TCP connections, round-robin: not in
 * libzmq's tool, which has N = 1) and sends message-count messages of
 * message-size bytes (contents left uninitialised, as in libzmq), then
 * closes with infinite linger and terminates the context so that every
 * message is delivered. Prints nothing. A non-zero [curve] makes the PUSH
 * a CURVE client with libzmq's perf keys.
 */
#include "perf.h"

int main (int argc, char *argv[])
{
    parse_pattern (&argc, &argv);
    size_t connections = 1;
    if (argc >= 6 && strcmp (argv[1], "-connections") == 0) {
        connections = parse_count ("connections", argv[2]);
        argc -= 2;
        argv += 2;
    }
    if ((argc != 4 && argc != 5) || connections < 1) {
        fprintf (stderr, "usage: remote_thr [-pattern NAME] [-connections N] <connect-to> <message-size> <message-count> [curve]\n");
        return 1;
    }
    size_t size = parse_count ("message-size", argv[2]);
    size_t count = parse_count ("message-count", argv[3]);

    void *ctx = new_context ();
    void *s = open_socket (ctx, ZMQ_PUSH, 0, argv[1], connections, parse_curve (argc, argv, 4));
    int linger = -1;
    if (zmq_setsockopt (s, ZMQ_LINGER, &linger, sizeof linger) != 0)
        die ("zmq_setsockopt");
    send_messages (s, size, count);
    close_all (s, ctx);
    return 0;
}
