package zmtp

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"strings"
)

// The HTTP/1.1 upgrade that opens a WebSocket (RFC 6455 section 4), with
// the ZWS 2.0 subprotocols (RFC 45) offered and chosen in it.

// WSMaxHandshake bounds an upgrade request or response, headers included.
// A browser's is well under 2 KiB; a peer that sends more without ending
// its headers is refused.
const WSMaxHandshake = 8 << 10

// wsGUID is RFC 6455's key suffix for Sec-WebSocket-Accept.
const wsGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// WSProtocol is the ZWS 2.0 subprotocol for a mechanism: "ZWS2.0/NULL",
// "ZWS2.0/PLAIN" or "ZWS2.0/CURVE". A bare "ZWS2.0" means NULL.
func WSProtocol(mechanism string) string { return "ZWS2.0/" + mechanism }

// WSBareProtocol is ZWS 2.0 without a mechanism: NULL without a
// handshake, each side's first message its routing id (as libzmq does).
// It is the only ZWS subprotocol a browser can offer: "/" may not appear
// in a WebSocket subprotocol token.
const WSBareProtocol = "ZWS2.0"

// WSSelect picks, among the subprotocols a client offers, the one for
// mechanism (the bare "ZWS2.0" stands for NULL). ok is false when the
// client offers none of them.
func WSSelect(offered []string, mechanism string) (chosen string, ok bool) {
	want := WSProtocol(mechanism)
	for _, p := range offered {
		if p == want {
			return p, true
		}
	}
	if mechanism == "NULL" {
		for _, p := range offered {
			if p == WSBareProtocol {
				return p, true
			}
		}
	}
	return "", false
}

// WSAcceptKey is the Sec-WebSocket-Accept value for a client's
// Sec-WebSocket-Key.
func WSAcceptKey(key string) string {
	sum := sha1.Sum([]byte(key + wsGUID))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// WSRequest is the part of a client's upgrade request a server acts on.
type WSRequest struct {
	Path      string   // the request target, such as "/zmq"
	Host      string   // the Host header
	Key       string   // Sec-WebSocket-Key
	Protocols []string // Sec-WebSocket-Protocol, in the client's order
}

// AppendWSRequest appends a client's upgrade request for path on host,
// offering protocols.
func AppendWSRequest(dst []byte, host, path, key string, protocols []string) []byte {
	dst = append(dst, "GET "...)
	dst = append(dst, path...)
	dst = append(dst, " HTTP/1.1\r\nHost: "...)
	dst = append(dst, host...)
	dst = append(dst, "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "...)
	dst = append(dst, key...)
	dst = append(dst, "\r\nSec-WebSocket-Protocol: "...)
	dst = append(dst, strings.Join(protocols, ", ")...)
	return append(dst, "\r\nSec-WebSocket-Version: 13\r\n\r\n"...)
}

// AppendWSResponse appends a server's 101 response accepting key with
// protocol.
func AppendWSResponse(dst []byte, key, protocol string) []byte {
	dst = append(dst, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "...)
	dst = append(dst, WSAcceptKey(key)...)
	dst = append(dst, "\r\nSec-WebSocket-Protocol: "...)
	dst = append(dst, protocol...)
	return append(dst, "\r\n\r\n"...)
}

// AppendWSRefusal appends a server's 400 response, with why as its body.
func AppendWSRefusal(dst []byte, why string) []byte {
	dst = append(dst, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: "...)
	dst = fmt.Appendf(dst, "%d\r\n\r\n", len(why))
	return append(dst, why...)
}

// splitHead finds the end of an HTTP head in p: n == 0 while it is
// incomplete, an error once p is over WSMaxHandshake without one.
func splitHead(p []byte) (lines []string, n int, err error) {
	end := bytes.Index(p, []byte("\r\n\r\n"))
	if end < 0 {
		if len(p) >= WSMaxHandshake {
			return nil, 0, fmt.Errorf("%w: headers over %d bytes", ErrWSHandshake, WSMaxHandshake)
		}
		return nil, 0, nil
	}
	if end+4 > WSMaxHandshake {
		return nil, 0, fmt.Errorf("%w: headers over %d bytes", ErrWSHandshake, WSMaxHandshake)
	}
	return strings.Split(string(p[:end]), "\r\n"), end + 4, nil
}

// header is one "Name: value" line, the name lower-cased.
func header(line string) (name, value string, ok bool) {
	name, value, ok = strings.Cut(line, ":")
	if !ok || name == "" || strings.ContainsAny(name, " \t") {
		return "", "", false
	}
	return strings.ToLower(name), strings.TrimSpace(value), true
}

// hasToken reports whether a comma-separated header value lists tok,
// ignoring case.
func hasToken(value, tok string) bool {
	for t := range strings.SplitSeq(value, ",") {
		if strings.EqualFold(strings.TrimSpace(t), tok) {
			return true
		}
	}
	return false
}

// upgradeHeaders checks the header lines of an upgrade request or
// response: each well formed, an Upgrade to websocket and a Connection
// upgrade among them. Every header goes to each, which may refuse it.
func upgradeHeaders(lines []string, each func(name, value string) error) error {
	var upgrade, connection bool
	for _, line := range lines {
		name, value, ok := header(line)
		if !ok {
			return fmt.Errorf("%w: header line %.80q", ErrWSHandshake, line)
		}
		switch name {
		case "upgrade":
			upgrade = upgrade || hasToken(value, "websocket")
		case "connection":
			connection = connection || hasToken(value, "upgrade")
		}
		if err := each(name, value); err != nil {
			return err
		}
	}
	if !upgrade || !connection {
		return fmt.Errorf("%w: not an upgrade to websocket", ErrWSHandshake)
	}
	return nil
}

// ParseWSRequest parses a client's upgrade request at the start of p. It
// returns n == 0 with a nil error while the request is incomplete, and
// ErrWSHandshake for anything that is not a WebSocket version 13 upgrade.
func ParseWSRequest(p []byte) (r WSRequest, n int, err error) {
	lines, n, err := splitHead(p)
	if n == 0 {
		return r, 0, err
	}
	method, rest, _ := strings.Cut(lines[0], " ")
	target, version, _ := strings.Cut(rest, " ")
	if method != "GET" || !strings.HasPrefix(target, "/") || !strings.HasPrefix(version, "HTTP/1.") || version == "HTTP/1.0" {
		return r, 0, fmt.Errorf("%w: request line %.80q", ErrWSHandshake, lines[0])
	}
	r.Path = target
	var wsVersion bool
	err = upgradeHeaders(lines[1:], func(name, value string) error {
		switch name {
		case "host":
			r.Host = value
		case "sec-websocket-key":
			r.Key = value
		case "sec-websocket-version":
			wsVersion = value == "13"
		case "sec-websocket-protocol":
			for t := range strings.SplitSeq(value, ",") {
				if t = strings.TrimSpace(t); t == "" {
					continue
				}
				if !subprotocolToken(t) {
					return fmt.Errorf("%w: subprotocol %.40q is not a token", ErrWSHandshake, t)
				}
				r.Protocols = append(r.Protocols, t)
			}
		}
		return nil
	})
	switch {
	case err != nil:
		return r, 0, err
	case !wsVersion:
		return r, 0, fmt.Errorf("%w: Sec-WebSocket-Version is not 13", ErrWSHandshake)
	}
	if k, err := base64.StdEncoding.DecodeString(r.Key); err != nil || len(k) != 16 {
		return r, 0, fmt.Errorf("%w: Sec-WebSocket-Key %.40q is not 16 bytes in base64", ErrWSHandshake, r.Key)
	}
	return r, n, nil
}

// ParseWSResponse parses a server's answer to an upgrade request sent
// with key, at the start of p, and returns the subprotocol it chose. It
// returns n == 0 with a nil error while the response is incomplete.
func ParseWSResponse(p []byte, key string) (protocol string, n int, err error) {
	lines, n, err := splitHead(p)
	if n == 0 {
		return "", 0, err
	}
	version, rest, _ := strings.Cut(lines[0], " ")
	status, _, _ := strings.Cut(rest, " ")
	if !strings.HasPrefix(version, "HTTP/1.") || status != "101" {
		return "", 0, fmt.Errorf("%w: server answered %.80q", ErrWSHandshake, lines[0])
	}
	var accept string
	err = upgradeHeaders(lines[1:], func(name, value string) error {
		switch name {
		case "sec-websocket-accept":
			accept = value
		case "sec-websocket-protocol":
			protocol = value
		}
		return nil
	})
	switch {
	case err != nil:
		return "", 0, err
	case accept != WSAcceptKey(key):
		return "", 0, fmt.Errorf("%w: Sec-WebSocket-Accept does not match the key", ErrWSHandshake)
	case protocol == "":
		return "", 0, fmt.Errorf("%w: no subprotocol chosen", ErrWSHandshake)
	}
	return protocol, n, nil
}

// subprotocolToken reports a subprotocol name without spaces or control
// characters. RFC 6455 asks for an HTTP token, which would also exclude
// '/', but libzmq names its subprotocols "ZWS2.0/NULL" and so on.
func subprotocolToken(t string) bool {
	for i := 0; i < len(t); i++ {
		if c := t[i]; c <= ' ' || c == 0x7f {
			return false
		}
	}
	return true
}
