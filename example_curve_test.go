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
	serverPub, serverSec, err := zring.NewCurveKeypair()
	must(err)
	clientPub, clientSec, err := zring.NewCurveKeypair()
	must(err)

	ctx := check(zring.NewContext())
	defer ctx.Close()
	auth := check(zring.NewAuthenticator(ctx))
	defer auth.Close()
	auth.SetCurveKeys("*", clientPub) // or AllowAnyCurve("*")

	server := check(ctx.NewSocket(zring.Pull,
		zring.WithCurveServer(true), zring.WithCurveSecretKey(serverSec)))
	defer server.Close()
	must(server.Bind("tcp://127.0.0.1:*"))

	client := check(ctx.NewSocket(zring.Push,
		zring.WithCurveServerKey(serverPub),
		zring.WithCurvePublicKey(clientPub), zring.WithCurveSecretKey(clientSec)))
	defer client.Close()
	must(client.Connect(server.Endpoint()))

	must(client.SendString("sealed", 0))
	msg, md, err := server.RecvMultiMetadataContext(context.Background(), 0)
	must(err)
	fmt.Printf("%s from the holder of the listed key: %v\n", msg[0], md.UserID() == clientPub.Z85())
	// Output:
	// sealed from the holder of the listed key: true
}
