/* local_lat <bind-to> <message-size> <roundtrip-count>
 *
 * REP binds and echoes roundtrip-count messages back, checking each
 * message's size, then sleeps 1 s before closing so that the last reply
 * leaves the machine. Prints nothing.
 */
#include "perf.h"
#include <unistd.h>

int main (int argc, char *argv[])
{
    if (argc != 4) {
        fprintf (stderr, "usage: local_lat <bind-to> <message-size> <roundtrip-count>\n");
        return 1;
    }
    const char *bind_to = argv[1];
    size_t size = parse_count ("message-size", argv[2]);
    size_t roundtrips = parse_count ("roundtrip-count", argv[3]);

    void *ctx = zmq_ctx_new ();
    if (!ctx)
        die ("zmq_ctx_new");
    void *s = zmq_socket (ctx, ZMQ_REP);
    if (!s)
        die ("zmq_socket");
    if (zmq_bind (s, bind_to) != 0)
        die ("zmq_bind");

    zmq_msg_t msg;
    if (zmq_msg_init (&msg) != 0)
        die ("zmq_msg_init");
    for (size_t i = 0; i < roundtrips; i++) {
        if (zmq_msg_recv (&msg, s, 0) < 0)
            die ("zmq_msg_recv");
        if (zmq_msg_size (&msg) != size) {
            fprintf (stderr, "message of incorrect size received: %zu, want %zu\n",
                     zmq_msg_size (&msg), size);
            return 1;
        }
        if (zmq_msg_send (&msg, s, 0) < 0)
            die ("zmq_msg_send");
    }
    zmq_msg_close (&msg);

    sleep (1);

    if (zmq_close (s) != 0)
        die ("zmq_close");
    if (zmq_ctx_term (ctx) != 0)
        die ("zmq_ctx_term");
    return 0;
}
