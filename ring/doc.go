// Package ring provides the bounded single-producer single-consumer queue that
// carries messages between user goroutines and I/O threads, plus the two
// wakeup primitives used to put either side of a queue to sleep: EventFD for
// OS-thread-locked I/O loops blocked in epoll_wait or io_uring_enter, and
// Waiter for ordinary goroutines.
//
// # Queue semantics
//
// Ring follows libzmq's ypipe: the producer calls Write any number of times
// and then Flush, which publishes the whole batch with a single atomic store
// of the tail. The consumer calls Read (or Peek) and then Release, which
// publishes the consumed slots with a single atomic store of the head. Until
// Flush a write is invisible to the consumer; until Release a read slot is not
// reusable by the producer. Exactly one goroutine at a time may act as the
// producer and one as the consumer; callers serialise each side themselves.
//
// # Layout
//
// head (written by the consumer) and tail (written by the producer) live in
// separate 128-byte groups, as crossbeam and tokio do, because Intel's
// adjacent-line prefetcher pulls cache lines in 128-byte pairs and false
// sharing between the two indices would make every publish a coherence miss
// for the other side. Each side keeps a private copy of the other side's
// index and re-reads the shared one only when the ring looks full (producer)
// or empty (consumer), after Rigtorp's SPSC queue.
//
// # Sleep and wake protocol
//
// The consumer goes to sleep with TrySleep: it releases consumed slots, stores
// readerAsleep = 1, then loads the tail. If items are visible it clears the
// flag and reports that it is not asleep. The producer's Flush stores the tail
// and then loads readerAsleep; only the Flush whose CAS flips it 1→0 returns
// wakeReader = true, so the consumer is signalled once per sleep however many
// flushes race with it. This is Dekker's pattern: each side stores its own
// variable and then loads the other's. sync/atomic operations are
// sequentially consistent (Go memory model, Go ≥ 1.19), so at least one side
// observes the other's store and a wakeup cannot be lost.
//
// The producer parks in the mirror-image way: TryParkWriter stores
// writerParked = 1 and then loads the head; Release stores the head and then
// CASes writerParked 1→0, returning wakeWriter = true to the one caller that
// must signal the producer. Release does so only once at most half the ring
// is occupied (libzmq's low-water mark), so a producer stalled at the
// high-water mark resumes with room for a batch.
//
// A typical consumer loop that sleeps on a Waiter:
//
//	for {
//		if v, ok := r.Read(); ok {
//			handle(v)
//			continue
//		}
//		w.PrepareFor(ctx) // parks in Go's netpoller when ctx cannot be cancelled
//		asleep, wakeWriter := r.TrySleep()
//		if wakeWriter {
//			producerWaiter.Wake()
//		}
//		if !asleep {
//			w.Cancel()
//			continue
//		}
//		err := w.Wait(ctx, deadline)
//		r.Wake() // cancel the ring-level sleep if we woke for another reason
//		if err != nil {
//			return err
//		}
//	}
//
// and the producer signals it with
//
//	if r.Flush() {
//		w.Wake()
//	}
//
// The Waiter (or EventFD) must be prepared before TrySleep so that the flag
// the producer flips is already visible when it calls Wake.
//
// References: libzmq src/ypipe.hpp; Erik Rigtorp, "Optimizing a ring buffer
// for throughput" (2021); Dmitry Vyukov's notes on SPSC queues.
//
// This is a lower-level API under the root package zring, public for those
// who embed the engine; it may change between releases. Applications use
// zring.
package ring
