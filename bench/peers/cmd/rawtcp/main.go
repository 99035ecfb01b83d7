// Command rawtcp is the raw-TCP floor of the perf comparison: libzmq's four
// perf tools without ZeroMQ.
//
//	rawtcp local_thr <bind-to> <message-size> <message-count>
//	rawtcp remote_thr <connect-to> <message-size> <message-count>
//	rawtcp local_lat <bind-to> <message-size> <roundtrip-count>
//	rawtcp remote_lat <connect-to> <message-size> <roundtrip-count>
//
// A message is a 4-byte big-endian length and the body, over one
// net.TCPConn (tcp://HOST:PORT) or unix socket (ipc://PATH), through a
// bufio.Reader and a bufio.Writer of 64 KiB each. remote_thr writes every
// message into the bufio.Writer, which writes itself out when full, and
// flushes at the end; local_thr reads them. For latency, remote_lat writes
// a message and flushes, and local_lat reads it, writes it back and
// flushes. The header and body buffers are allocated once, so no message
// allocates. Timers and output are libzmq's (see package perfout).
package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"syscall"
	"time"

	"github.com/zring/zring/bench/peers/internal/perfout"
)

const bufSize = 64 << 10

func main() {
	perfout.Main("rawtcp", perfout.Tools{
		LocalThr: localThr, RemoteThr: remoteThr, LocalLat: localLat, RemoteLat: remoteLat,
	})
}

// msgBuf holds one message's header and body, reused for every message.
type msgBuf struct {
	hdr  [4]byte
	body []byte
}

// newMsgBuf makes the buffers for messages of size bytes, which the 4-byte
// header must be able to hold.
func newMsgBuf(size int) (*msgBuf, error) {
	if uint64(size) > math.MaxUint32 {
		return nil, fmt.Errorf("message size %d does not fit the 4-byte length", size)
	}
	return &msgBuf{body: make([]byte, size)}, nil
}

// write puts the message (header, then body) into w.
func (m *msgBuf) write(w *bufio.Writer) error {
	binary.BigEndian.PutUint32(m.hdr[:], uint32(len(m.body)))
	if _, err := w.Write(m.hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(m.body)
	return err
}

// read reads one message into the body, which must be its exact size.
func (m *msgBuf) read(r *bufio.Reader) error {
	if _, err := io.ReadFull(r, m.hdr[:]); err != nil {
		return fmt.Errorf("recv: %w", err)
	}
	n := binary.BigEndian.Uint32(m.hdr[:])
	if uint64(n) != uint64(len(m.body)) {
		return perfout.CheckSize(int(n), len(m.body))
	}
	if _, err := io.ReadFull(r, m.body); err != nil {
		return fmt.Errorf("recv: %w", err)
	}
	return nil
}

// accept listens on the endpoint and returns the first connection. An ipc
// path is removed before the bind (as libzmq does) and after the accept.
func accept(endpoint string) (net.Conn, error) {
	network, addr, err := perfout.SplitEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	if network == "unix" {
		os.Remove(addr)
	}
	l, err := net.Listen(network, addr)
	if err != nil {
		return nil, fmt.Errorf("bind: %w", err)
	}
	c, err := l.Accept()
	l.Close()
	if err != nil {
		return nil, fmt.Errorf("accept: %w", err)
	}
	return c, nil
}

// dial connects to the endpoint, retrying for up to 5 s while nothing
// listens yet (libzmq's connect does not fail then either).
func dial(endpoint string) (net.Conn, error) {
	network, addr, err := perfout.SplitEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.Dial(network, addr)
		if err == nil {
			return c, nil
		}
		refused := errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENOENT)
		if !refused || time.Now().After(deadline) {
			return nil, fmt.Errorf("connect: %w", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// localThr receives Count messages; the stopwatch starts at the first.
func localThr(a perfout.Args) error {
	c, err := accept(a.Endpoint)
	if err != nil {
		return err
	}
	defer c.Close()
	r := bufio.NewReaderSize(c, bufSize)
	m, err := newMsgBuf(a.Size)
	if err != nil {
		return err
	}
	return perfout.TimeReceives(a, func() error {
		return m.read(r)
	})
}

// remoteThr sends Count messages through the bufio.Writer, then flushes.
func remoteThr(a perfout.Args) error {
	c, err := dial(a.Endpoint)
	if err != nil {
		return err
	}
	defer c.Close()
	w := bufio.NewWriterSize(c, bufSize)
	m, err := newMsgBuf(a.Size)
	if err != nil {
		return err
	}
	for range a.Count {
		if err := m.write(w); err != nil {
			return fmt.Errorf("send: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("send: %w", err)
	}
	return nil
}

// localLat echoes Count messages: read, write, flush.
func localLat(a perfout.Args) error {
	c, err := accept(a.Endpoint)
	if err != nil {
		return err
	}
	defer c.Close()
	r, w := bufio.NewReaderSize(c, bufSize), bufio.NewWriterSize(c, bufSize)
	m, err := newMsgBuf(a.Size)
	if err != nil {
		return err
	}
	for range a.Count {
		if err := m.read(r); err != nil {
			return err
		}
		if err := m.write(w); err != nil {
			return fmt.Errorf("send: %w", err)
		}
		if err := w.Flush(); err != nil {
			return fmt.Errorf("send: %w", err)
		}
	}
	return nil
}

// remoteLat does Count round trips (write, flush, read); the stopwatch
// starts after the connect.
func remoteLat(a perfout.Args) error {
	c, err := dial(a.Endpoint)
	if err != nil {
		return err
	}
	defer c.Close()
	r, w := bufio.NewReaderSize(c, bufSize), bufio.NewWriterSize(c, bufSize)
	m, err := newMsgBuf(a.Size)
	if err != nil {
		return err
	}
	return perfout.TimeRoundtrips(a, func() error {
		if err := m.write(w); err != nil {
			return fmt.Errorf("send: %w", err)
		}
		if err := w.Flush(); err != nil {
			return fmt.Errorf("send: %w", err)
		}
		return m.read(r)
	})
}
