package socket_test

import (
	"context"
	"fmt"

	"github.com/zring/zring/socket"
	"github.com/zring/zring/zmtp"
)

// CURVE: the server knows its keypair, the client its own and the server's
// public key; an Authenticator admits listed client keys, and the server
// reads who sent each message.
func Example_curve() {
	serverPub, serverSec, _ := zmtp.NewCurveKeypair()
	clientPub, clientSec, _ := zmtp.NewCurveKeypair()

	ctx, _ := socket.NewContext()
	defer ctx.Close()
	auth, _ := socket.NewAuthenticator(ctx)
	defer auth.Close()
	auth.SetCurveKeys("*", clientPub) // or AllowAnyCurve("*")

	server, _ := ctx.NewSocket(socket.Pull,
		socket.WithCurveServer(true), socket.WithCurveSecretKey(serverSec.Z85()))
	defer server.Close()
	must(server.Bind("tcp://127.0.0.1:*"))

	client, _ := ctx.NewSocket(socket.Push,
		socket.WithCurveServerKey(serverPub.Z85()),
		socket.WithCurvePublicKey(clientPub.Z85()), socket.WithCurveSecretKey(clientSec.Z85()))
	defer client.Close()
	must(client.Connect(server.Endpoint()))

	must(client.SendString("sealed", 0))
	msg, md, _ := server.RecvMultiMetadata(context.Background(), 0)
	fmt.Printf("%s from the holder of the listed key: %v\n", msg[0], md.UserID() == clientPub.Z85())
	// Output:
	// sealed from the holder of the listed key: true
}
