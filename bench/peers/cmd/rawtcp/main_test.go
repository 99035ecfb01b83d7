package main

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
)

// TestMsgBufRoundTrip writes messages and reads them back, and checks that
// neither direction allocates per message.
func TestMsgBufRoundTrip(t *testing.T) {
	var wire bytes.Buffer
	wire.Grow(1 << 20)
	w := bufio.NewWriterSize(&wire, bufSize)
	m, err := newMsgBuf(64)
	if err != nil {
		t.Fatal(err)
	}
	m.body[0] = 7
	for range 3 {
		if err := m.write(w); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if wire.Len() != 3*(4+64) || !bytes.HasPrefix(wire.Bytes(), []byte{0, 0, 0, 64, 7}) {
		t.Fatalf("wire holds %d bytes starting % x", wire.Len(), wire.Bytes()[:5])
	}
	r := bufio.NewReaderSize(bytes.NewReader(wire.Bytes()), bufSize)
	in, _ := newMsgBuf(64)
	for range 3 {
		if err := in.read(r); err != nil || in.body[0] != 7 {
			t.Fatalf("read: %v, body[0] %d", err, in.body[0])
		}
	}

	wire.Reset()
	if allocs := testing.AllocsPerRun(1000, func() { _ = m.write(w) }); allocs != 0 {
		t.Errorf("write allocates %v times per message", allocs)
	}
	w.Flush()
	r.Reset(bytes.NewReader(wire.Bytes()))
	if allocs := testing.AllocsPerRun(1000, func() { _ = in.read(r) }); allocs != 0 {
		t.Errorf("read allocates %v times per message", allocs)
	}
}

func TestMsgBufWrongSize(t *testing.T) {
	small, _ := newMsgBuf(8)
	var wire bytes.Buffer
	w := bufio.NewWriter(&wire)
	if err := small.write(w); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	big, _ := newMsgBuf(64)
	err := big.read(bufio.NewReader(&wire))
	if err == nil || !strings.Contains(err.Error(), "message of incorrect size received: 8, want 64") {
		t.Fatalf("got %v, want a size error", err)
	}
}
