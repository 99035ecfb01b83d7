//go:build linux

package zring_test

import (
	"context"
	"fmt"

	"github.com/zring/zring"
)

// CURVE: the server knows its keypair, the client its own and the server's
// public key; an Authenticator admits listed client keys, and the server
// reads who sent each message.
func Example_curve() {
	serverPub, serverSec, _ := zring.NewCurveKeypair()
	clientPub, clientSec, _ := zring.NewCurveKeypair()

	ctx, _ := zring.NewContext()
	defer ctx.Close()
	auth, _ := zring.NewAuthenticator(ctx)
	defer auth.Close()
	auth.SetCurveKeys("*", clientPub) // or AllowAnyCurve("*")

	server, _ := ctx.NewSocket(zring.Pull,
		zring.WithCurveServer(true), zring.WithCurveSecretKey(serverSec))
	defer server.Close()
	must(server.Bind("tcp://127.0.0.1:*"))

	client, _ := ctx.NewSocket(zring.Push,
		zring.WithCurveServerKey(serverPub),
		zring.WithCurvePublicKey(clientPub), zring.WithCurveSecretKey(clientSec))
	defer client.Close()
	must(client.Connect(server.Endpoint()))

	must(client.SendString("sealed", 0))
	msg, md, _ := server.RecvMultiMetadataContext(context.Background(), 0)
	fmt.Printf("%s from the holder of the listed key: %v\n", msg[0], md.UserID() == clientPub.Z85())
	// Output:
	// sealed from the holder of the listed key: true
}
