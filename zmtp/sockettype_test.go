package zmtp

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

var allTypes = []struct {
	t    SocketType
	name string
}{
	{Pair, "PAIR"}, {Pub, "PUB"}, {Sub, "SUB"}, {Req, "REQ"}, {Rep, "REP"},
	{Dealer, "DEALER"}, {Router, "ROUTER"}, {Pull, "PULL"}, {Push, "PUSH"},
	{XPub, "XPUB"}, {XSub, "XSUB"}, {Stream, "STREAM"}, {Server, "SERVER"},
	{Client, "CLIENT"}, {Radio, "RADIO"}, {Dish, "DISH"}, {Gather, "GATHER"},
	{Scatter, "SCATTER"}, {Peer, "PEER"}, {Channel, "CHANNEL"},
}

func TestSocketTypeNames(t *testing.T) {
	for i, tt := range allTypes {
		assert.Equal(t, tt.name, tt.t.String())
		got, ok := ParseSocketType([]byte(tt.name))
		assert.True(t, ok, tt.name)
		assert.Equal(t, tt.t, got)
		if i < 18 {
			assert.Equal(t, SocketType(i), tt.t, "libzmq numbering of %s", tt.name)
		}
	}
	assert.Equal(t, SocketType(19), Peer)
	assert.Equal(t, SocketType(20), Channel)
	assert.Equal(t, "DGRAM", Dgram.String(), "named, though never on the wire")
	assert.Equal(t, SocketType(18), Dgram)
	assert.Equal(t, "SocketType(21)", SocketType(21).String())
	assert.Equal(t, "SocketType(200)", SocketType(200).String())
}

func TestParseSocketTypeRejects(t *testing.T) {
	for _, s := range []string{"", "dealer", "Dealer", "DEALER ", " DEALER", "DEALER\x00", "DGRAM", "SocketType(21)", "X"} {
		_, ok := ParseSocketType([]byte(s))
		assert.False(t, ok, "%q", s)
	}
}

func TestSendsIdentity(t *testing.T) {
	for _, tt := range allTypes {
		want := tt.t == Req || tt.t == Dealer || tt.t == Router
		assert.Equal(t, want, tt.t.SendsIdentity(), tt.name)
	}
}

func TestCompatibleMatrix(t *testing.T) {
	// zmtp.md item 36, transcribed pair by pair.
	legal := map[SocketType][]SocketType{
		Req:     {Rep, Router},
		Rep:     {Req, Dealer},
		Dealer:  {Rep, Dealer, Router},
		Router:  {Req, Dealer, Router},
		Pub:     {Sub, XSub},
		XPub:    {Sub, XSub},
		Sub:     {Pub, XPub},
		XSub:    {Pub, XPub},
		Push:    {Pull},
		Pull:    {Push},
		Pair:    {Pair},
		Client:  {Server},
		Server:  {Client},
		Radio:   {Dish},
		Dish:    {Radio},
		Scatter: {Gather},
		Gather:  {Scatter},
		Peer:    {Peer},
		Channel: {Channel},
	}
	for self := range 256 {
		for peer := range 256 {
			s, p := SocketType(self), SocketType(peer)
			want := false
			for _, ok := range legal[s] {
				want = want || ok == p
			}
			if !assert.Equal(t, want, Compatible(s, p), "%v with %v", s, p) {
				return
			}
			assert.Equal(t, Compatible(s, p), Compatible(p, s), "symmetry %v %v", s, p)
		}
	}
}
