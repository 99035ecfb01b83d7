/* local_thr <bind-to> <message-size> <message-count> [curve]
 *
 * PULL binds and receives message-count messages. The stopwatch starts
 * after the first message arrives, so it covers count-1 messages, but the
 * rate is computed as count/elapsed, exactly like libzmq's local_thr.
 * A non-zero [curve] makes the PULL a CURVE server with libzmq's perf keys.
 * Over udp:// (a DISH, -pattern radio) it stops after a second without a
 * message and adds a loss line, as zring's local_thr does.
 */
#include "perf.h"

int main (int argc, char *argv[])
{
    parse_pattern (&argc, &argv);
    if (argc != 4 && argc != 5) {
        fprintf (stderr, "usage: local_thr [-pattern NAME] <bind-to> <message-size> <message-count> [curve]\n");
        return 1;
    }
    size_t size = parse_count ("message-size", argv[2]);
    size_t count = parse_count ("message-count", argv[3]);
    require_positive ("message-count", count);

    void *ctx = new_context ();
    void *s = open_socket (ctx, ZMQ_PULL, 1, argv[1], 1, parse_curve (argc, argv, 4));
    size_t got = count;
    uint64_t elapsed = receive_messages (s, size, count, lossy (argv[1]) ? &got : NULL);
    print_throughput (size, got, elapsed);
    if (lossy (argv[1]))
        print_loss (count - got, count);
    close_all (s, ctx);
    return 0;
}
