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
    size_t size = parse_count ("message-size", argv[2]);
    size_t count = parse_count ("message-count", argv[3]);
    require_positive ("message-count", count);

    void *ctx = new_context ();
    void *s = open_socket (ctx, ZMQ_PULL, 1, argv[1], 1);
    uint64_t elapsed = receive_messages (s, size, count);
    print_throughput (size, count, elapsed);
    close_all (s, ctx);
    return 0;
}
