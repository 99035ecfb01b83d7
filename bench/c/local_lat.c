/* local_lat <bind-to> <message-size> <roundtrip-count> [curve]
 *
 * REP binds and echoes roundtrip-count messages back, checking each
 * message's size, then sleeps 1 s before closing so that the last reply
 * leaves the machine. Prints nothing. A non-zero [curve] (as for local_thr;
 * libzmq's local_lat has no such argument) makes the REP a CURVE server.
 */
#include "perf.h"
#include <unistd.h>

int main (int argc, char *argv[])
{
    parse_pattern (&argc, &argv);
    if (argc != 4 && argc != 5) {
        fprintf (stderr, "usage: local_lat [-pattern NAME] <bind-to> <message-size> <roundtrip-count> [curve]\n");
        return 1;
    }
    size_t size = parse_count ("message-size", argv[2]);
    size_t roundtrips = parse_count ("roundtrip-count", argv[3]);

    void *ctx = new_context ();
    void *s = open_socket (ctx, ZMQ_REP, 1, argv[1], 1, parse_curve (argc, argv, 4));
    echo (s, size, 1, roundtrips);
    sleep (1);
    close_all (s, ctx);
    return 0;
}
