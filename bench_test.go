//go:build linux

package zring_test

import (
	"strconv"
	"testing"

	"github.com/zring/zring"
)

// Whole-stack benchmarks over TCP loopback in one process (both ends share
// the context's I/O thread). For side-by-side figures against libzmq use
// `make perf`, which runs the perf tools in separate processes.

func benchContext(b *testing.B) *zring.Context {
	c, err := zring.NewContext()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return c
}

func benchPair(b *testing.B, bindType, connType zring.Type) (bound, connected *zring.Socket) {
	c := benchContext(b)
	var err error
	if bound, err = c.NewSocket(bindType, zring.WithLinger(0)); err == nil {
		err = bound.Bind("tcp://127.0.0.1:*")
	}
	if err == nil {
		if connected, err = c.NewSocket(connType, zring.WithLinger(0)); err == nil {
			err = connected.Connect(bound.Endpoint())
		}
	}
	if err != nil {
		b.Fatal(err)
	}
	return bound, connected
}

func BenchmarkPushPullTCP(b *testing.B) {
	for _, size := range []int{64, 1024} {
		b.Run(sizeName(size), func(b *testing.B) {
			pull, push := benchPair(b, zring.Pull, zring.Push)
			done := make(chan error, 1)
			n := b.N
			go func() {
				for i := 0; i < n; i++ {
					f, err := pull.RecvFrame(0)
					if err != nil {
						done <- err
						return
					}
					f.Release()
				}
				done <- nil
			}()
			b.SetBytes(int64(size))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < n; i++ {
				if err := push.SendFrame(zring.NewFrame(size), 0); err != nil {
					b.Fatal(err)
				}
			}
			if err := <-done; err != nil {
				b.Fatal(err)
			}
		})
	}
}

func BenchmarkReqRepTCP(b *testing.B) {
	rep, req := benchPair(b, zring.Rep, zring.Req)
	go func() {
		for {
			f, err := rep.RecvFrame(0)
			if err != nil {
				return
			}
			if rep.SendFrame(f, 0) != nil {
				f.Release()
				return
			}
		}
	}()
	b.SetBytes(64)
	b.ReportAllocs()
	for b.Loop() {
		if err := req.SendFrame(zring.NewFrame(64), 0); err != nil {
			b.Fatal(err)
		}
		f, err := req.RecvFrame(0)
		if err != nil {
			b.Fatal(err)
		}
		f.Release()
	}
}

func sizeName(n int) string {
	if n >= 1024 {
		return strconv.Itoa(n/1024) + "KiB"
	}
	return strconv.Itoa(n) + "B"
}
