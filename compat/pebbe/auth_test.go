//go:build linux

package zmq4_test

import (
	"testing"
	"time"

	zmq "github.com/zring/zring/compat/pebbe"
)

// The authentication handler runs in the default context, as
// pebbe/zmq4's; these tests share it, one at a time.

// startAuth starts the handler for one test and clears the policies the
// test set in its domain when it ends.
func startAuth(t *testing.T, domain string) {
	t.Helper()
	check(t, "AuthStart", zmq.AuthStart())
	t.Cleanup(func() {
		zmq.AuthStop()
		zmq.AuthPlainRemoveAll(domain)
		zmq.AuthCurveRemoveAll(domain)
		zmq.AuthSetMetadataHandler(nil)
	})
}

// defaultSocket is a socket of the default context closed when the test
// ends.
func defaultSocket(t *testing.T, typ zmq.Type) *zmq.Socket {
	t.Helper()
	s, err := zmq.NewSocket(typ)
	check(t, "NewSocket", err)
	t.Cleanup(func() { s.SetLinger(0); s.Close() })
	return s
}

// passes reports whether a message from client reaches server. A
// refused handshake can end the client's connection, and with it its
// pipe, before the send: the message then has nowhere to go (EAGAIN),
// which is not passing either.
func passes(t *testing.T, server, client *zmq.Socket) bool {
	t.Helper()
	check(t, "SetRcvtimeo", server.SetRcvtimeo(500*time.Millisecond))
	if _, err := client.Send("knock", zmq.DONTWAIT); zmq.AsErrno(err) == zmq.EAGAIN {
		return false
	} else if err != nil {
		t.Fatal("Send:", err)
	}
	msg, err := server.Recv(0)
	if zmq.AsErrno(err) == zmq.EAGAIN {
		return false
	}
	check(t, "Recv", err)
	if msg != "knock" {
		t.Fatalf("received %q", msg)
	}
	return true
}

// What upstream's TestAuthStart checks, with the server's identity set
// before its Bind: the metadata handler's properties and User-Id reach
// the server's messages, beside the client's own, and a property nobody
// set is absent.
func TestAuthMetadata(t *testing.T) {
	startAuth(t, "meta")
	zmq.AuthSetMetadataHandler(func(version, request_id, domain, address, identity, mechanism string, credentials ...string) map[string]string {
		return map[string]string{"Identity": identity, "User-Id": "anonymous", "Hello": "World!", "Domain": domain,
			"bad name": "left out"}
	})
	zmq.AuthAllow("meta", "127.0.0.1")
	clientPub, clientSec, _ := zmq.NewCurveKeypair()
	serverPub, serverSec, _ := zmq.NewCurveKeypair()
	zmq.AuthCurveAdd("meta", clientPub)

	server := defaultSocket(t, zmq.DEALER)
	check(t, "SetIdentity", server.SetIdentity("Server1"))
	check(t, "ServerAuthCurve", server.ServerAuthCurve("meta", serverSec))
	ep := bindAny(t, server)
	client := defaultSocket(t, zmq.DEALER)
	check(t, "ClientAuthCurve", client.ClientAuthCurve(serverPub, clientPub, clientSec))
	check(t, "Connect", client.Connect(ep))
	if _, err := client.SendMessage("Greetings", "Earthlings!"); err != nil {
		t.Fatal(err)
	}
	recvTimeout(t, server)
	msg, md, err := server.RecvMessageWithMetadata(0, "Identity", "User-Id", "Socket-Type", "Hello", "Domain", "Fuz", "bad name")
	check(t, "RecvMessageWithMetadata", err)
	if !equal(msg, []string{"Greetings", "Earthlings!"}) {
		t.Fatalf("message %q", msg)
	}
	want := map[string]string{"Identity": "Server1", "User-Id": "anonymous", "Socket-Type": "DEALER", "Hello": "World!", "Domain": "meta"}
	for k, v := range want {
		if md[k] != v {
			t.Errorf("metadata %s = %q, want %q", k, md[k], v)
		}
	}
	for _, k := range []string{"Fuz", "bad name"} {
		if v, ok := md[k]; ok {
			t.Errorf("metadata %s = %q, want none", k, v)
		}
	}
}

// Address rules: a CIDR allow list lets its network in, an allow list
// refuses other addresses, a deny list refuses its own, and rules of one
// domain leave another alone.
func TestAuthAddressRules(t *testing.T) {
	// Allow and deny lists have no remove function: the domains used
	// here are used nowhere else.
	startAuth(t, "rules")
	null := func(domain string) (server, client *zmq.Socket) {
		server = defaultSocket(t, zmq.PULL)
		check(t, "ServerAuthNull", server.ServerAuthNull(domain))
		ep := bindAny(t, server)
		client = defaultSocket(t, zmq.PUSH)
		check(t, "Connect", client.Connect(ep))
		return server, client
	}
	if s, c := null("open"); !passes(t, s, c) {
		t.Error("NULL with no rules for its domain was refused")
	}
	zmq.AuthAllow("cidr", "127.0.0.0/8")
	if s, c := null("cidr"); !passes(t, s, c) {
		t.Error("127.0.0.1 refused by an allow list of 127.0.0.0/8")
	}
	zmq.AuthAllow("elsewhere", "10.1.2.3")
	if s, c := null("elsewhere"); passes(t, s, c) {
		t.Error("127.0.0.1 passed an allow list of 10.1.2.3")
	}
	zmq.AuthDeny("denied", "127.0.0.1")
	if s, c := null("denied"); passes(t, s, c) {
		t.Error("127.0.0.1 passed a deny list holding it")
	}
	zmq.AuthDeny("denied-other", "192.168.0.0/16")
	if s, c := null("denied-other"); !passes(t, s, c) {
		t.Error("127.0.0.1 refused by a deny list of 192.168.0.0/16")
	}
}

// PLAIN: a listed user passes, a wrong password or a removed user not;
// CURVE: a listed key passes, a removed one not.
func TestAuthCredentials(t *testing.T) {
	startAuth(t, "creds")
	zmq.AuthPlainAdd("creds", "admin", "secret")
	plain := func(user, pass string) bool {
		server := defaultSocket(t, zmq.PULL)
		check(t, "ServerAuthPlain", server.ServerAuthPlain("creds"))
		ep := bindAny(t, server)
		client := defaultSocket(t, zmq.PUSH)
		check(t, "ClientAuthPlain", client.ClientAuthPlain(user, pass))
		check(t, "Connect", client.Connect(ep))
		return passes(t, server, client)
	}
	if !plain("admin", "secret") {
		t.Error("PLAIN admin refused")
	}
	if plain("admin", "wrong") {
		t.Error("PLAIN with a wrong password passed")
	}
	if plain("nobody", "") {
		t.Error("PLAIN with an unknown user and an empty password passed")
	}
	zmq.AuthPlainRemove("creds", "admin")
	if plain("admin", "secret") {
		t.Error("PLAIN with a removed user passed")
	}

	serverPub, serverSec, _ := zmq.NewCurveKeypair()
	clientPub, clientSec, _ := zmq.NewCurveKeypair()
	zmq.AuthCurveAdd("creds", clientPub)
	curve := func() bool {
		server := defaultSocket(t, zmq.PULL)
		check(t, "ServerAuthCurve", server.ServerAuthCurve("creds", serverSec))
		ep := bindAny(t, server)
		client := defaultSocket(t, zmq.PUSH)
		check(t, "ClientAuthCurve", client.ClientAuthCurve(serverPub, clientPub, clientSec))
		check(t, "Connect", client.Connect(ep))
		return passes(t, server, client)
	}
	if !curve() {
		t.Error("CURVE with a listed key refused")
	}
	zmq.AuthCurveRemove("creds", clientPub)
	if curve() {
		t.Error("CURVE with a removed key passed")
	}
	zmq.AuthCurveAdd("creds", zmq.CURVE_ALLOW_ANY)
	if !curve() {
		t.Error("CURVE with CURVE_ALLOW_ANY refused")
	}
}

// AuthStart twice is an error; after AuthStop it starts again.
func TestAuthStartStop(t *testing.T) {
	check(t, "AuthStart", zmq.AuthStart())
	if err := zmq.AuthStart(); err == nil {
		t.Fatal("a second AuthStart succeeded")
	}
	zmq.AuthStop()
	zmq.AuthStop() // not running: nothing happens
	check(t, "AuthStart again", zmq.AuthStart())
	zmq.AuthStop()
}

func TestAuthMetaBlob(t *testing.T) {
	b, err := zmq.AuthMetaBlob("Hello", "World!")
	check(t, "AuthMetaBlob", err)
	if want := "\x05Hello\x00\x00\x00\x06World!"; string(b) != want {
		t.Fatalf("blob %q, want %q", b, want)
	}
	if _, err := zmq.AuthMetaBlob(string(make([]byte, 256)), ""); err == nil {
		t.Fatal("a 256-byte key was accepted")
	}
}
