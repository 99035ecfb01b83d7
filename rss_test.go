//go:build linux && !race

package zring_test

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
	"github.com/zring/zring/zmtp"
)

// Peak memory of a fresh process running one test (vmhwm_test.go). Race
// builds are left out: the detector's own memory would swamp the figures.

// The whole huge-header attack (every socket type, NULL, PLAIN and CURVE,
// claims up to 2^62 bytes) peaks under 64 MB: libzmq stays at about 18 MB.
func TestHugeFrameHeaderPeakRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	peak := peakRSS(t, "TestHugeFrameHeader")
	t.Logf("VmHWM of the attack: %.1f MB", float64(peak)/1e6)
	assert.Less(t, peak, int64(64<<20))
}

// bigFrame is the size of the frame that truly arrives.
const bigFrame = 1 << 30

// A 1 GiB frame that truly arrives is delivered whole by RecvFrame, with a
// peak of about one copy of it: the body grows in place as it arrives, and
// RecvFrame hands over that very frame.
func TestBigFramePeakRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process, moves 1 GiB")
	}
	peak := peakRSS(t, "TestBigFrameArrives")
	t.Logf("VmHWM with a 1 GiB frame: %.1f MB", float64(peak)/1e6)
	assert.Less(t, peak, int64(bigFrame+bigFrame/4), "about one copy, not two")
}

// TestBigFrameArrives sends a 1 GiB frame from a raw peer that streams it
// from a small buffer, so the receiver's memory is all the process holds.
func TestBigFrameArrives(t *testing.T) {
	if !reportRSS(t) {
		t.Skip("run by TestBigFramePeakRSS in a child process")
	}
	pull := newSocket(t, newContext(t), zring.Pull)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	p := handshakeAs(t, pull.Endpoint(), zmtp.NewNull(zmtp.HandshakeConfig{Type: zmtp.Push}))
	chunk := make([]byte, 64<<10)
	for i := range chunk {
		chunk[i] = byte(i % 251)
	}
	errc := make(chan error, 1)
	go func() {
		w := bufio.NewWriterSize(p.conn, len(chunk))
		if _, err := w.Write(zmtp.AppendFrameHeader(nil, 0, bigFrame)); err != nil {
			errc <- err
			return
		}
		for range bigFrame / len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				errc <- err
				return
			}
		}
		errc <- w.Flush()
	}()
	f, err := pull.RecvFrame(0)
	require.NoError(t, err)
	defer f.Release()
	require.NoError(t, <-errc)
	b := f.Bytes()
	require.Len(t, b, bigFrame)
	for off := 0; off < len(b); off += len(chunk) {
		if !bytes.Equal(b[off:off+len(chunk)], chunk) {
			t.Fatalf("body differs at chunk %d", off/len(chunk))
		}
	}
}
