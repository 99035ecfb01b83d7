/* remote_lat <connect-to> <message-size> <roundtrip-count> [curve]
 *
 * REQ connects and performs roundtrip-count request/reply round trips.
 * The stopwatch starts right after the (asynchronous) connect call, so
 * the connection handshake falls inside the measurement, as in libzmq.
 * Reports elapsed / (2 * roundtrips): half the round-trip time, then (an
 * extension) the p50, p90, p99, p99.9 and max of half of each round
 * trip, timed one by one with clock_gettime into an array allocated
 * before. A non-zero
 * [curve] (an extension, as in local_lat) makes the REQ a CURVE client.
 */
#include "perf.h"

int main (int argc, char *argv[])
{
    parse_pattern (&argc, &argv);
    if (argc != 4 && argc != 5) {
        fprintf (stderr, "usage: remote_lat [-pattern NAME] <connect-to> <message-size> <roundtrip-count> [curve]\n");
        return 1;
    }
    size_t size = parse_count ("message-size", argv[2]);
    size_t roundtrips = parse_count ("roundtrip-count", argv[3]);
    require_positive ("roundtrip-count", roundtrips);

    void *ctx = new_context ();
    void *s = open_socket (ctx, ZMQ_REQ, 0, argv[1], 1, parse_curve (argc, argv, 4));
    uint64_t *laps = malloc (roundtrips * sizeof *laps);
    if (!laps) {
        fprintf (stderr, "out of memory for %zu round trips\n", roundtrips);
        return 1;
    }
    uint64_t elapsed = round_trips (s, size, roundtrips, laps);
    print_latency (size, roundtrips, elapsed);
    print_percentiles (laps, roundtrips);
    free (laps);
    close_all (s, ctx);
    return 0;
}
