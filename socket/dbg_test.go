package socket

import (
	"fmt"
	"testing"
	"time"
)

func TestDbgThr(t *testing.T) {
	for iter := 0; iter < 10; iter++ {
		c := newCtx(t)
		pl := newSock(t, c, Pull, WithRcvTimeout(2*time.Second))
		pl.Bind("tcp://127.0.0.1:*")
		c2 := newCtx(t)
		push, _ := c2.NewSocket(Push)
		push.Connect(pl.Endpoint())
		const N = 200000
		go func() {
			for i := 0; i < N; i++ {
				push.Send(make([]byte, 64), 0)
			}
			push.Close()
			c2.Close()
		}()
		for i := 0; i < N; i++ {
			f, err := pl.RecvFrame(0)
			if err != nil {
				fmt.Println("iter", iter, "i", i, "sessions", len(pl.sessions), "pipes in fq", len(pl.pat.(*pull).fq.pipes), pl.pat.(*pull).fq.active)
				for ss := range pl.sessions {
					fmt.Printf("got %d; sess conn=%v state=%d stalled=%v inq=%d off=%d end=%d\n", i, ss.conn != nil, ss.conn.state, ss.conn.in.stalled != nil, ss.pipe.in.Queued(), ss.conn.in.off, ss.conn.in.end)
				}
				t.Fatal(err)
			}
			f.Release()
		}
	}
}
