package mempool

import (
	"encoding/binary"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stressN sizes the stress tests.
func stressN() int {
	if testing.Short() {
		return 5_000
	}
	return 200_000
}

var stressSizes = []int{0, 8, 64, 65, 200, 1000, 3000, 10_000, 60_000}

// stamp writes tok into the first and last 8 bytes of f (frames < 8 bytes
// get a single byte), so a frame handed to two holders at once shows up as a
// mismatch, and under -race as a data race.
func stamp(f *Frame, tok uint64) {
	b := f.Bytes()
	switch {
	case len(b) >= 8:
		binary.LittleEndian.PutUint64(b, tok)
		binary.LittleEndian.PutUint64(b[len(b)-8:], tok)
	case len(b) > 0:
		b[0] = byte(tok)
	}
}

func checkStamp(f *Frame, tok uint64) error {
	b := f.Bytes()
	ok := true
	switch {
	case len(b) >= 8:
		ok = binary.LittleEndian.Uint64(b) == tok && binary.LittleEndian.Uint64(b[len(b)-8:]) == tok
	case len(b) > 0:
		ok = b[0] == byte(tok)
	}
	if !ok {
		return fmt.Errorf("frame %p (len %d) overwritten while live: want token %d", f, len(b), tok)
	}
	return nil
}

type stamped struct {
	f   *Frame
	tok uint64
}

// TestStressGetHereReleaseThere allocates on one goroutine and releases on
// another, the user-goroutine → I/O-thread pattern.
func TestStressGetHereReleaseThere(t *testing.T) {
	base := Stats()
	n := stressN()
	ch := make(chan stamped, 256)
	errs := make(chan error, 1)
	go func() {
		var first error
		for s := range ch {
			if err := checkStamp(s.f, s.tok); err != nil && first == nil {
				first = err
			}
			if err := s.f.Release(); err != nil && first == nil {
				first = err
			}
		}
		errs <- first
	}()
	for i := range n {
		f := Get(stressSizes[i%len(stressSizes)])
		tok := uint64(i)
		stamp(f, tok)
		ch <- stamped{f, tok}
	}
	close(ch)
	require.NoError(t, <-errs)
	assert.Equal(t, liveCounts(base), liveCounts(Stats()), "every frame returned")
}

// TestStressManyGoroutines has several goroutines get, share (Retain) and
// release frames across each other concurrently.
func TestStressManyGoroutines(t *testing.T) {
	base := Stats()
	const workers = 4
	n := stressN() / workers
	chans := make([]chan stamped, workers)
	for i := range chans {
		chans[i] = make(chan stamped, 64)
	}
	var wg, recv sync.WaitGroup
	errs := make(chan error, 2*workers)
	for w := range workers {
		recv.Add(1)
		go func() { defer recv.Done(); errs <- drain(chans[w]) }()
	}
	for w := range workers {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- produceShared(w, n, chans) }()
	}
	wg.Wait()
	for _, c := range chans {
		close(c)
	}
	recv.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, liveCounts(base), liveCounts(Stats()), "every frame returned")
}

// produceShared gets n frames; every third is shared with two other workers'
// receivers, the rest are checked and released locally.
func produceShared(w, n int, chans []chan stamped) error {
	for i := range n {
		f := Get(stressSizes[(i+w)%len(stressSizes)])
		tok := uint64(w)<<32 | uint64(i)
		stamp(f, tok)
		if i%3 != 0 {
			if err := checkStamp(f, tok); err != nil {
				return err
			}
			if err := f.Release(); err != nil {
				return err
			}
			continue
		}
		f.Retain()
		chans[(w+1)%len(chans)] <- stamped{f, tok}
		chans[(w+2)%len(chans)] <- stamped{f, tok}
	}
	return nil
}

func drain(ch chan stamped) error {
	var first error
	for s := range ch {
		if err := checkStamp(s.f, s.tok); err != nil && first == nil {
			first = err
		}
		if err := s.f.Release(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// liveCounts extracts the Live column of a Stats result.
func liveCounts(stats []ClassStats) []int64 {
	out := make([]int64, len(stats))
	for i, s := range stats {
		out[i] = s.Live
	}
	return out
}
