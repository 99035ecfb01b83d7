//go:build linux

package engine

import (
	"bytes"
	"testing"

	"github.com/zring/zring/zmtp"
)

// FuzzWSNativeFill feeds hostile WebSocket bytes, cut into reads at the
// fuzzer's choice, to a ws:// connection's translation into buffers of the
// fuzzer's size: it never writes past a buffer, never stalls with input
// left and room to spare, and translates the same bytes the same way
// however the reads and buffers cut them, control frames included.
func FuzzWSNativeFill(f *testing.F) {
	src, _ := zmtpStream()
	ws, _, _ := newWSOut(true, [32]byte{}).feed(make([]byte, 0, 1<<20), src)
	ping := zmtp.AppendWSHeader(nil, zmtp.WSHeader{Fin: true, Opcode: zmtp.WSPing, Masked: true, Len: 3})
	f.Add(append(append(ws[:300:300], ping...), "abc"...), uint16(7), uint16(600))
	f.Add([]byte{0x82, 0x81, 0, 0, 0, 0, 0x00, 0x89, 0x80, 0, 0, 0, 0, 0x88, 0x80, 0, 0, 0, 0}, uint16(3), uint16(560))
	f.Fuzz(func(t *testing.T, b []byte, split, room uint16) {
		size := wsReadyRoom + wsInjectRoom + int(room)%4096 // the least the READY of a bare peer needs, and more
		run := func(reads ...[]byte) ([]byte, error) {
			w := newWSNative(nil, false, zmtp.WSProtocol("NULL"), &SessionOptions{Type: zmtp.Pull})
			w.greeting = nil
			var out []byte
			for _, r := range reads {
				w.roff, w.rend = 0, copy(w.raw, r)
				for !w.peerClosed {
					buf := make([]byte, size+8) // 8 guard bytes
					n, err := w.fill(buf[:size], true)
					if !bytes.Equal(buf[size:], make([]byte, 8)) {
						t.Fatalf("fill wrote past its buffer of %d bytes", size)
					}
					out = append(out, buf[:n]...)
					if err != nil {
						return out, err
					}
					if n == 0 {
						if w.roff < w.rend && !w.peerClosed { // what follows a close is not read
							t.Fatalf("stalled with %d bytes left", w.rend-w.roff)
						}
						break
					}
				}
			}
			return out, nil
		}
		b = b[:min(len(b), wsBufBytes)] // what one read can hold
		whole, errWhole := run(b)
		k := int(split) % (len(b) + 1)
		parts, errParts := run(b[:k], b[k:])
		if (errWhole == nil) != (errParts == nil) || errWhole == nil && !bytes.Equal(whole, parts) {
			t.Fatalf("split at %d changes the output: %x, %v vs %x, %v", k, whole, errWhole, parts, errParts)
		}
	})
}
