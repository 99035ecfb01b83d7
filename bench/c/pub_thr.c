/* pub_thr <bind-to> <message-size> <message-count> <subscribers>
 *
 * The publishing side of the fan-out throughput test (sub_thr measures;
 * perf/pub_thr is zring's twin). An XPUB binds and waits until
 * <subscribers> subscription messages have arrived (ZMQ_XPUB_VERBOSE, so
 * that each subscriber's reaches it, not only the first for a topic), so
 * that no message is published before every subscriber listens. It then
 * publishes message-count messages of message-size bytes (contents left
 * uninitialised, as in libzmq's tools) and closes with infinite linger and
 * terminates the context, so that everything queued is delivered.
 *
 * The test is lossless, so that every subscriber receives exactly
 * message-count messages: ZMQ_XPUB_NODROP makes a send that meets a full
 * subscriber pipe fail with EAGAIN instead of dropping the message for
 * that subscriber. The sends are blocking (no ZMQ_DONTWAIT), and libzmq's
 * blocking zmq_send then waits on the socket's commands until the pipe
 * has room and retries (socket_base_t::send), which is the wait wanted.
 * A ZMQ_DONTWAIT send polled with ZMQ_POLLOUT would spin instead: an XPUB
 * always reports POLLOUT (dist_t::has_out is always true). Prints nothing.
 */
#include "perf.h"

int main (int argc, char *argv[])
{
    if (argc != 5) {
        fprintf (stderr, "usage: pub_thr <bind-to> <message-size> <message-count> <subscribers>\n");
        return 1;
    }
    size_t size = parse_count ("message-size", argv[2]);
    size_t count = parse_count ("message-count", argv[3]);
    size_t subscribers = parse_count ("subscribers", argv[4]);
    require_positive ("subscribers", subscribers);

    void *ctx = new_context ();
    void *s = zmq_socket (ctx, ZMQ_XPUB);
    if (!s)
        die ("zmq_socket");
    int one = 1, linger = -1;
    if (zmq_setsockopt (s, ZMQ_XPUB_NODROP, &one, sizeof one) != 0
        || zmq_setsockopt (s, ZMQ_XPUB_VERBOSE, &one, sizeof one) != 0
        || zmq_setsockopt (s, ZMQ_LINGER, &linger, sizeof linger) != 0)
        die ("zmq_setsockopt");
    if (zmq_bind (s, argv[1]) != 0)
        die ("zmq_bind");

    /* Count subscriptions ([0x01|topic]); cancels and other messages are
     * ignored. */
    zmq_msg_t msg;
    if (zmq_msg_init (&msg) != 0)
        die ("zmq_msg_init");
    for (size_t n = 0; n < subscribers;) {
        if (zmq_msg_recv (&msg, s, 0) < 0)
            die ("zmq_msg_recv");
        if (zmq_msg_size (&msg) > 0 && *(unsigned char *) zmq_msg_data (&msg) == 1)
            n++;
    }
    zmq_msg_close (&msg);

    send_messages (s, size, count);
    close_all (s, ctx);
    return 0;
}
