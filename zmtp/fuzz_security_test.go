package zmtp

import (
	"bytes"
	"testing"
)

// FuzzPlain feeds a sequence of command bodies (split at 0xFF 0xFF) to a
// PLAIN client and a PLAIN server, each answering ZAP at once. Neither may
// panic, and a HELLO that parses must re-encode to the same bytes.
func FuzzPlain(f *testing.F) {
	f.Add(goldenPlainHello[2:])
	f.Add(goldenPlainErrorLibzmq[2:])
	f.Add(append(append(bytes.Clone(goldenPlainHello[2:]), 0xFF, 0xFF), AppendMetadataCommand(nil, CmdInitiate, Dealer, nil)[2:]...))
	f.Add(append(unhex(`07 "WELCOME" ff ff`), AppendMetadataCommand(nil, CmdReady, Router, nil)[2:]...))
	f.Add(unhex(`05 "HELLO" 05 "admin"`))
	f.Fuzz(func(t *testing.T, data []byte) {
		bodies := bytes.Split(data, []byte{0xFF, 0xFF})
		client := NewPlainClient(HandshakeConfig{Type: Dealer}, []byte("u"), []byte("p"))
		server := NewPlainServer(HandshakeConfig{Type: Router})
		for _, m := range []Mechanism{client, server} {
			for _, body := range bodies {
				_, step, err := m.Command(nil, body)
				if err != nil {
					break
				}
				if step == StepZAP {
					if _, _, err := m.ZAPResult(nil, passwords(m.ZAPRequest())); err != nil {
						break
					}
				}
			}
		}
		if len(data) > 6 && string(data[:6]) == "\x05HELLO" {
			if user, pass, err := ParsePlainHello(data[6:]); err == nil {
				// again is a whole frame: its body follows a 2-byte header.
				again := AppendPlainHello(nil, user, pass)
				if !bytes.Equal(again[2:], data) {
					t.Fatalf("HELLO %x re-encodes as %x", data, again)
				}
			}
		}
	})
}

// FuzzZ85 checks that whatever decodes re-encodes to the same text, and
// that any bytes round-trip.
func FuzzZ85(f *testing.F) {
	f.Add("HelloWorld", []byte{1, 2, 3, 4})
	f.Add("%nSc0", []byte{})
	f.Add(curveTestKeys[0].public, make([]byte, 32))
	f.Fuzz(func(t *testing.T, text string, raw []byte) {
		if b, err := Z85Decode(text); err == nil {
			again, err := Z85Encode(b)
			if err != nil || again != text {
				t.Fatalf("%q decodes to %x, which encodes as %q (%v)", text, b, again, err)
			}
		}
		raw = raw[:len(raw)/4*4]
		if len(raw) == 0 {
			return
		}
		s, err := Z85Encode(raw)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Z85Decode(s)
		if err != nil || !bytes.Equal(back, raw) {
			t.Fatalf("%x encodes as %q, which decodes to %x (%v)", raw, s, back, err)
		}
	})
}

// FuzzZAPReply feeds frames (split at 0xFF 0xFF) to ParseZAPReply: no
// panic, and an accepted reply re-encodes to frames that parse the same.
func FuzzZAPReply(f *testing.F) {
	f.Add(bytes.Join(ZAPReplyFrames([]byte("1"), ZAPReply{Status: 200, Text: "OK", UserID: []byte("u")}), []byte{0xFF, 0xFF}))
	f.Fuzz(func(t *testing.T, data []byte) {
		frames := bytes.Split(data, []byte{0xFF, 0xFF})
		id := []byte("1")
		r, err := ParseZAPReply(frames, id)
		if err != nil {
			return
		}
		again, err := ParseZAPReply(ZAPReplyFrames(id, r), id)
		if err != nil || again.Status != r.Status || !bytes.Equal(again.Metadata, r.Metadata) {
			t.Fatalf("reply %+v re-parses as %+v (%v)", r, again, err)
		}
	})
}

// FuzzCurve feeds a sequence of command bodies (split at 0xFF 0xFF) to a
// CURVE client and a CURVE server with libzmq's test keys, each answering
// ZAP at once, then to the MESSAGE opener of a real session. Nothing may
// panic, and nothing forged may pass: the fuzzer cannot produce boxes that
// open.
func FuzzCurve(f *testing.F) {
	f.Add(libzmqHello[2:])
	f.Add(append(append(bytes.Clone(libzmqHello[2:]), 0xFF, 0xFF), append([]byte("\x08INITIATE"), make([]byte, 260)...)...))
	f.Add(append([]byte("\x07WELCOME"), make([]byte, 160)...))
	f.Add(append([]byte("\x05READY"), make([]byte, 30)...))
	f.Add([]byte("\x05ERROR\x03400"))
	f.Fuzz(func(t *testing.T, data []byte) {
		bodies := bytes.Split(data, []byte{0xFF, 0xFF})
		client, server := curvePair(t, testServerPublic)
		if _, _, err := client.Start(nil); err != nil {
			t.Fatal(err)
		}
		for _, m := range []*Curve{client, server} {
			step := StepContinue
			var err error
			for _, body := range bodies {
				if _, step, err = m.Command(nil, body); err != nil {
					break
				}
				if step == StepZAP {
					if _, step, err = m.ZAPResult(nil, allowClient(t)(m.ZAPRequest())); err != nil {
						break
					}
				}
			}
			if err == nil && step == StepDone {
				t.Fatalf("forged handshake completed: %x", data)
			}
		}
		client, server = curvePair(t, testServerPublic)
		handshake(t, client, server, allowClient(t))
		_, open := server.Codec()
		for _, body := range bodies {
			if _, err := open.Open(nil, body); err == nil {
				t.Fatalf("forged MESSAGE opened: %x", body)
			}
		}
	})
}
