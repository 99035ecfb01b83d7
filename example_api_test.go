//go:build linux

package zring_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/zring/zring"
)

// examplePair is a context with one socket pair over inproc: a PULL
// bound at name and a PUSH connected to it.
func examplePair(name string) (ctx *zring.Context, pull, push *zring.Socket) {
	ctx, err := zring.NewContext()
	must(err)
	pull, err = ctx.NewSocket(zring.Pull)
	must(err)
	must(pull.Bind("inproc://" + name))
	push, err = ctx.NewSocket(zring.Push)
	must(err)
	must(push.Connect("inproc://" + name))
	return ctx, pull, push
}

// A Poller waits on several sockets at once and says which is ready.
func ExamplePoller() {
	ctx, pull, push := examplePair("poller")
	defer ctx.Close()
	idle, err := ctx.NewSocket(zring.Pull)
	must(err)
	p, err := zring.NewPoller(
		zring.PollItem{Socket: idle, Events: zring.PollIn},
		zring.PollItem{Socket: pull, Events: zring.PollIn})
	must(err)
	defer p.Close()

	must(push.SendString("work", 0))
	ready, err := p.Wait(time.Second)
	must(err)
	for _, r := range ready {
		msg, err := r.Socket.RecvString(zring.DontWait)
		must(err)
		fmt.Println("item", r.Index, "has", msg)
	}
	// Output: item 1 has work
}

// A Monitor reports a socket's connection events on a channel.
func ExampleSocket_Monitor() {
	ctx, err := zring.NewContext()
	must(err)
	defer ctx.Close()
	rep, err := ctx.NewSocket(zring.Rep)
	must(err)
	mon, err := rep.Monitor(zring.EventListening | zring.EventAccepted | zring.EventHandshakeSucceeded)
	must(err)
	defer mon.Close()
	must(rep.Bind("tcp://127.0.0.1:*"))
	req, err := ctx.NewSocket(zring.Req)
	must(err)
	must(req.Connect(rep.Endpoint()))
	for range 3 {
		fmt.Println((<-mon.Events()).Type)
	}
	// Output:
	// LISTENING
	// ACCEPTED
	// HANDSHAKE_SUCCEEDED
}

// A steerable proxy forwards until told otherwise, and reports what it
// moved.
func ExampleProxySteerable() {
	ctx, err := zring.NewContext()
	must(err)
	defer ctx.Close()
	front, err := ctx.NewSocket(zring.Pull)
	must(err)
	must(front.Bind("inproc://front"))
	back, err := ctx.NewSocket(zring.Push)
	must(err)
	must(back.Bind("inproc://back"))
	control, err := ctx.NewSocket(zring.Rep)
	must(err)
	must(control.Bind("inproc://control"))
	done := make(chan error, 1)
	go func() { done <- zring.ProxySteerable(context.Background(), front, back, nil, control) }()

	in, err := ctx.NewSocket(zring.Push)
	must(err)
	must(in.Connect("inproc://front"))
	out, err := ctx.NewSocket(zring.Pull)
	must(err)
	must(out.Connect("inproc://back"))
	ctl, err := ctx.NewSocket(zring.Req)
	must(err)
	must(ctl.Connect("inproc://control"))

	must(in.SendString("hello", 0))
	msg, err := out.RecvString(0)
	must(err)
	st, err := zring.RequestProxyStatistics(context.Background(), ctl)
	must(err)
	fmt.Println(msg, st.Frontend.MsgsIn, st.Backend.BytesOut)
	must(ctl.SendString("TERMINATE", 0))
	_, err = ctl.Recv(0)
	must(err)
	must(<-done)
	// Output: hello 1 5
}

// Frames move without copying: the receiver owns each frame it gets and
// releases it; More tells whether parts follow.
func ExampleSocket_RecvFrame() {
	ctx, pull, push := examplePair("frames")
	defer ctx.Close()
	must(push.SendMulti([][]byte{[]byte("head"), []byte("body")}, 0))
	for {
		f, err := pull.RecvFrame(0)
		must(err)
		more := f.More()
		fmt.Printf("%s more=%v\n", f.Bytes(), more)
		f.Release() // the frame goes back to its pool
		if !more {
			break
		}
	}
	// Output:
	// head more=true
	// body more=false
}

// range over Messages receives whole messages until the context ends.
func ExampleSocket_Messages() {
	ctx, pull, push := examplePair("messages")
	defer ctx.Close()
	for _, s := range []string{"a", "b", "c"} {
		must(push.SendString(s, 0))
	}
	loop, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	for msg, err := range pull.Messages(loop) {
		must(err)
		fmt.Println(string(msg[0]))
		if n++; n == 3 {
			cancel()
		}
	}
	// Output:
	// a
	// b
	// c
}

// Stats counts what a socket moved, without locks on the way.
func ExampleSocket_Stats() {
	ctx, pull, push := examplePair("stats")
	defer ctx.Close()
	must(push.SendMulti([][]byte{[]byte("ab"), []byte("cd")}, 0))
	_, err := pull.RecvMulti(0)
	must(err)
	st := pull.Stats()
	fmt.Println(st.MsgsIn, st.BytesIn, push.Stats().MsgsOut)
	// Output: 1 4 1
}

// An Authenticator admits the CURVE clients whose certificates are in a
// directory.
func ExampleAuthenticator() {
	dir, err := os.MkdirTemp("", "certs")
	must(err)
	defer os.RemoveAll(dir)
	server, err := zring.NewCertificate()
	must(err)
	client, err := zring.NewCertificate()
	must(err)
	must(client.SavePublic(filepath.Join(dir, "client.key")))

	ctx, err := zring.NewContext()
	must(err)
	defer ctx.Close()
	auth, err := zring.NewAuthenticator(ctx)
	must(err)
	defer auth.Close()
	must(auth.SetCurveCertificates("*", dir))

	pull, err := ctx.NewSocket(zring.Pull, zring.WithCurveServer(true), zring.WithCurveSecretKey(server.Secret))
	must(err)
	must(pull.Bind("tcp://127.0.0.1:*"))
	push, err := ctx.NewSocket(zring.Push, zring.WithCurveServerKey(server.Public),
		zring.WithCurvePublicKey(client.Public), zring.WithCurveSecretKey(client.Secret))
	must(err)
	must(push.Connect(pull.Endpoint()))
	must(push.SendString("trusted", 0))
	msg, md, err := pull.RecvMultiMetadata(0)
	must(err)
	userID, _ := md.Get(zring.PropUserID)
	fmt.Println(string(msg[0]), userID == client.Public.Z85())
	// Output: trusted true
}

// Certificates are saved as a public file to hand out and a secret file
// to keep.
func ExampleCertificate() {
	dir, err := os.MkdirTemp("", "certs")
	must(err)
	defer os.RemoveAll(dir)
	c, err := zring.NewCertificate()
	must(err)
	c.Metadata["name"] = "server"
	must(c.Save(filepath.Join(dir, "server.key")))

	pub, err := zring.LoadCertificate(filepath.Join(dir, "server.key"))
	must(err)
	sec, err := zring.LoadCertificate(filepath.Join(dir, "server.key_secret"))
	must(err)
	fmt.Println(pub.Metadata["name"], pub.HasSecret(), sec.HasSecret(), pub.Public == c.Public)
	// Output: server false true true
}
