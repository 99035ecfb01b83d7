package uring

import (
	"net"
	"runtime"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Large messages over TCP loopback, sent by write(2), by IORING_OP_SEND and
// by IORING_OP_SEND_ZC, each against a reader draining with read(2): what
// io_uring's zero-copy send can save on the path docs/performance.md
// measures (issue 15, case (c)). Run with
//
//	go test -run - -bench Loopback -benchtime 2000x ./poll/uring
//
// Each op is one message of the sub-benchmark's size.

const (
	opSendZC  = 47     // IORING_OP_SEND_ZC (6.0)
	cqeFNotif = 1 << 3 // IORING_CQE_F_NOTIF: the kernel is done with the buffer
)

// loopbackPair returns a connected TCP pair on 127.0.0.1 as blocking fds,
// the sender's first, with a goroutine on the other reading and discarding
// until it is closed.
func loopbackPair(b *testing.B) (send int, done func()) {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	s, err := ln.Accept()
	if err != nil {
		b.Fatal(err)
	}
	fdOf := func(conn net.Conn) int {
		f, err := conn.(*net.TCPConn).File() // a blocking dup
		if err != nil {
			b.Fatal(err)
		}
		fd, err := unix.Dup(int(f.Fd()))
		if err != nil {
			b.Fatal(err)
		}
		f.Close()
		conn.Close()
		return fd
	}
	send, recv := fdOf(c), fdOf(s)
	finished := make(chan struct{})
	go func() {
		buf := make([]byte, 1<<20)
		for {
			if n, err := unix.Read(recv, buf); n <= 0 || err != nil {
				break
			}
		}
		close(finished)
	}()
	return send, func() {
		unix.Shutdown(send, unix.SHUT_WR)
		<-finished
		unix.Close(send)
		unix.Close(recv)
	}
}

// sender makes one sub-benchmark's send function.
type sender func(b *testing.B) func(b *testing.B, fd int, msg []byte)

func benchLoopback(b *testing.B, newSend sender) {
	for _, size := range []int{64 << 10, 1 << 20} {
		b.Run(sizeName(size), func(b *testing.B) {
			// A ring set up SINGLE_ISSUER takes submissions from the
			// thread that made it only.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			send := newSend(b)
			fd, done := loopbackPair(b)
			defer done()
			msg := make([]byte, size)
			b.SetBytes(int64(size))
			b.ResetTimer()
			for range b.N {
				send(b, fd, msg)
			}
		})
	}
}

func sizeName(n int) string {
	if n >= 1<<20 {
		return "1MiB"
	}
	return "64KiB"
}

func writeAll(b *testing.B, fd int, msg []byte) {
	for len(msg) > 0 {
		n, err := unix.Write(fd, msg)
		if err != nil {
			b.Fatal(err)
		}
		msg = msg[n:]
	}
}

func BenchmarkLoopbackWrite(b *testing.B) {
	benchLoopback(b, func(*testing.B) func(*testing.B, int, []byte) { return writeAll })
}

// uringSend sends msg with op, one SQE at a time, and waits for each to
// complete (and, for SEND_ZC, for the notification that frees the buffer).
func uringSend(op uint8) sender {
	return func(b *testing.B) func(*testing.B, int, []byte) {
		r, err := New(8)
		if err != nil {
			b.Skip(err)
		}
		b.Cleanup(func() { r.Close() })
		if !r.Supports(op) {
			b.Skipf("opcode %d not supported", op)
		}
		return func(b *testing.B, fd int, msg []byte) { sendOn(b, r, op, fd, msg) }
	}
}

// sendOn sends msg on fd through r with op, as uringSend describes.
func sendOn(b *testing.B, r *Ring, op uint8, fd int, msg []byte) {
	for len(msg) > 0 {
		sqe := r.SQE()
		sqe.Opcode, sqe.Fd, sqe.Len = op, int32(fd), uint32(len(msg))
		sqe.Addr = uint64(uintptr(unsafe.Pointer(unsafe.SliceData(msg)))) // heap: not moved, kept alive by msg
		if _, err := r.Submit(); err != nil {
			b.Fatal(err)
		}
		sent, notified := int32(-1), op != opSendZC
		for sent < 0 || !notified {
			for r.Ready() == 0 {
				if err := r.Wait(-1); err != nil {
					b.Fatal(err)
				}
			}
			c := *r.CQE(0)
			r.Advance(1)
			switch {
			case c.Flags&cqeFNotif != 0:
				notified = true
			case c.Res < 0:
				b.Fatal(unix.Errno(-c.Res))
			default:
				sent = c.Res
				if c.Flags&CQEFMore == 0 {
					notified = true // no notification follows
				}
			}
		}
		msg = msg[sent:]
	}
}

func BenchmarkLoopbackUringSend(b *testing.B)   { benchLoopback(b, uringSend(OpSend)) }
func BenchmarkLoopbackUringSendZC(b *testing.B) { benchLoopback(b, uringSend(opSendZC)) }
