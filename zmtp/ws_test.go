package zmtp

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWSHeaderRoundTrip(t *testing.T) {
	for _, n := range []uint64{0, 1, 125, 126, 65535, 65536, 1 << 40, 1<<63 - 1} {
		for _, masked := range []bool{false, true} {
			h := WSHeader{Fin: true, Opcode: WSBinary, Masked: masked, Key: [4]byte{1, 2, 3, 4}, Len: n}
			if !masked {
				h.Key = [4]byte{}
			}
			b := AppendWSHeader(nil, h)
			for i := range len(b) {
				_, k, err := ParseWSHeader(b[:i])
				require.NoError(t, err)
				require.Zero(t, k, "a header cut at %d is incomplete", i)
			}
			got, k, err := ParseWSHeader(append(b, 0xEE))
			require.NoError(t, err)
			assert.Equal(t, len(b), k)
			assert.Equal(t, h, got)
		}
	}
	// The shortest length forms, as RFC 6455 requires of a sender.
	assert.Len(t, AppendWSHeader(nil, WSHeader{Len: 125}), 2)
	assert.Len(t, AppendWSHeader(nil, WSHeader{Len: 126}), 4)
	assert.Len(t, AppendWSHeader(nil, WSHeader{Len: 65536}), 10)
}

func TestWSHeaderRefuses(t *testing.T) {
	for name, b := range map[string][]byte{
		"reserved bit":         {0xC2, 0x00},
		"unknown opcode":       {0x83, 0x00},
		"fragmented ping":      {0x09, 0x00},
		"control over 125":     {0x89, 0x7E, 0x00, 0x7E},
		"length with top bit":  {0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 0},
		"unknown control code": {0x8B, 0x00},
	} {
		_, _, err := ParseWSHeader(b)
		assert.ErrorIs(t, err, ErrWSFrame, name)
	}
}

func TestWSMaskMatchesBytewise(t *testing.T) {
	key := [4]byte{0x37, 0xFA, 0x21, 0x3D}
	for pos := range uint64(8) {
		for n := range 41 {
			p := bytes.Repeat([]byte{0xA5, 0x5A, 0x00, 0xFF, 0x11}, 9)[:n]
			want := bytes.Clone(p)
			for i := range want {
				want[i] ^= key[(pos+uint64(i))%4]
			}
			WSMask(p, key, pos)
			require.Equal(t, want, p, "pos %d len %d", pos, n)
		}
	}
}

func TestWSAcceptKeyRFC6455(t *testing.T) {
	// The example of RFC 6455 section 1.3.
	assert.Equal(t, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WSAcceptKey("dGhlIHNhbXBsZSBub25jZQ=="))
}

// libzmq 4.3.5's request, byte for byte, and a browser's.
const (
	libzmqRequest = "GET /zmq HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: ZWS2.0/NULL,ZWS2.0\r\nSec-WebSocket-Version: 13\r\n\r\n"
	browserRequest = "GET /zmq HTTP/1.1\r\nHost: localhost:5555\r\nConnection: keep-alive, Upgrade\r\nupgrade: WebSocket\r\n" +
		"Origin: http://localhost\r\nsec-websocket-version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
		"Sec-WebSocket-Extensions: permessage-deflate\r\nSec-WebSocket-Protocol: ZWS2.0/CURVE, ZWS2.0/NULL\r\n\r\n"
)

func TestWSRequest(t *testing.T) {
	for name, req := range map[string]string{"libzmq": libzmqRequest, "browser": browserRequest} {
		r, n, err := ParseWSRequest([]byte(req + "\x82\x00"))
		require.NoError(t, err, name)
		assert.Equal(t, len(req), n, name)
		assert.Equal(t, "/zmq", r.Path)
		assert.Equal(t, "dGhlIHNhbXBsZSBub25jZQ==", r.Key)
		p, ok := WSSelect(r.Protocols, MechanismNull)
		assert.True(t, ok, name)
		assert.Equal(t, "ZWS2.0/NULL", p, name)
		_, ok = WSSelect(r.Protocols, MechanismPlain)
		assert.False(t, ok, name)
	}
	ours := AppendWSRequest(nil, "h:1", "/x", "dGhlIHNhbXBsZSBub25jZQ==", []string{"ZWS2.0/PLAIN"})
	r, _, err := ParseWSRequest(ours)
	require.NoError(t, err)
	assert.Equal(t, []string{"ZWS2.0/PLAIN"}, r.Protocols)
	assert.Equal(t, "h:1", r.Host)

	for i := range len(libzmqRequest) {
		_, n, err := ParseWSRequest([]byte(libzmqRequest[:i]))
		require.NoError(t, err)
		require.Zero(t, n)
	}
	for name, bad := range map[string]string{
		"POST":           strings.Replace(libzmqRequest, "GET", "POST", 1),
		"HTTP/1.0":       strings.Replace(libzmqRequest, "HTTP/1.1", "HTTP/1.0", 1),
		"no upgrade":     strings.Replace(libzmqRequest, "Upgrade: websocket\r\n", "", 1),
		"version 8":      strings.Replace(libzmqRequest, "Version: 13", "Version: 8", 1),
		"short key":      strings.Replace(libzmqRequest, "dGhlIHNhbXBsZSBub25jZQ==", "abcd", 1),
		"header no name": strings.Replace(libzmqRequest, "Host:", ":", 1),
		"protocol space": strings.Replace(libzmqRequest, "ZWS2.0/NULL,", "ZWS2.0 /NULL,", 1),
		"huge":           "GET / HTTP/1.1\r\nX: " + strings.Repeat("a", WSMaxHandshake),
	} {
		_, _, err := ParseWSRequest([]byte(bad))
		assert.ErrorIs(t, err, ErrWSHandshake, name)
	}
}

func TestWSResponse(t *testing.T) {
	key := "dGhlIHNhbXBsZSBub25jZQ=="
	resp := AppendWSResponse(nil, key, "ZWS2.0/NULL")
	assert.True(t, bytes.HasPrefix(resp, []byte("HTTP/1.1 101 Switching Protocols\r\n")), "libzmq wants this status line exactly")
	assert.Contains(t, string(resp), "\r\nConnection: Upgrade\r\n", "and this Connection value")
	p, n, err := ParseWSResponse(resp, key)
	require.NoError(t, err)
	assert.Equal(t, len(resp), n)
	assert.Equal(t, "ZWS2.0/NULL", p)

	_, _, err = ParseWSResponse(resp, "AAAAAAAAAAAAAAAAAAAAAA==")
	assert.ErrorIs(t, err, ErrWSHandshake, "an accept for another key")
	_, _, err = ParseWSResponse(AppendWSRefusal(nil, "no"), key)
	assert.ErrorIs(t, err, ErrWSHandshake)
	assert.True(t, errors.Is(err, ErrWSHandshake))
}

func FuzzWSHeader(f *testing.F) {
	f.Add([]byte{0x82, 0x05, 0, 'h', 'e', 'l', 'o'})
	f.Add(AppendWSHeader(nil, WSHeader{Fin: true, Opcode: WSBinary, Masked: true, Key: [4]byte{9, 8, 7, 6}, Len: 70000}))
	f.Add([]byte{0x89, 0x80, 1, 2, 3, 4})
	f.Add([]byte{0x82, 0x7F, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, n, err := ParseWSHeader(b)
		if err != nil || n == 0 {
			return
		}
		if n > WSMaxHeader || n > len(b) || h.Len>>63 != 0 || h.IsControl() && h.Len > 125 {
			t.Fatalf("accepted %+v in %d bytes", h, n)
		}
		again, m, err := ParseWSHeader(AppendWSHeader(nil, h))
		if err != nil || m == 0 || again != h {
			t.Fatalf("%+v re-encodes as %+v, %v", h, again, err)
		}
	})
}

func FuzzWSRequest(f *testing.F) {
	f.Add([]byte(libzmqRequest))
	f.Add([]byte(browserRequest))
	f.Add(AppendWSResponse(nil, "dGhlIHNhbXBsZSBub25jZQ==", "ZWS2.0/NULL"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if r, n, err := ParseWSRequest(b); err == nil && n > 0 {
			if n > len(b) || n > WSMaxHandshake || !strings.HasPrefix(r.Path, "/") {
				t.Fatalf("accepted %+v in %d bytes", r, n)
			}
			for _, p := range r.Protocols {
				if p == "" || strings.ContainsAny(p, ", ") {
					t.Fatalf("protocol token %q", p)
				}
			}
		}
		if _, n, err := ParseWSResponse(b, "dGhlIHNhbXBsZSBub25jZQ=="); err == nil && n > len(b) {
			t.Fatalf("response of %d bytes consumed %d", len(b), n)
		}
	})
}
