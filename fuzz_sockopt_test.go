//go:build linux

package zring

import (
	"encoding/binary"
	"errors"
	"testing"
	"time"
)

// FuzzSockOpt is libzmq's socket-option fuzzer for the option-number API:
// a fresh socket of any type gets a sequence of SetSockOpt calls, each an
// option number (every libzmq number, unknown ones and negative ones) with
// an int, []byte, string or wrongly typed value, each followed by SockOpt.
// Nothing panics, every error is ErrInvalid or ErrNotSupported, and the
// socket still binds on loopback (or refuses with an error) and closes
// promptly.
//
// ops is a list of records: the option number as an int8, a kind byte,
// then for an int 8 bytes big-endian, for bytes or a string a length byte
// and that many bytes.
func FuzzSockOpt(f *testing.F) {
	for opt := range Opt(maxLibzmqOpt + 2) {
		f.Add(byte(Dealer), sockOptRecord(opt, 0, 1))
		f.Add(byte(Sub), sockOptRecord(opt, 1, "topic"))
	}
	for _, opt := range []Opt{OptCurvePublicKey, OptCurveSecretKey, OptCurveServerKey} {
		f.Add(byte(Pair), sockOptRecord(opt, 1, "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"))
		f.Add(byte(Pair), sockOptRecord(opt, 2, string(make([]byte, 32))))
	}
	f.Add(byte(Rep), append(sockOptRecord(OptCurveServer, 0, 1), sockOptRecord(OptZAPDomain, 1, "global")...))
	f.Add(byte(XPub), append(sockOptRecord(OptXPubWelcomeMsg, 1, "hi"), sockOptRecord(OptXPubManual, 0, 1)...))
	f.Add(byte(Router), sockOptRecord(OptRoutingID, 1, ""))
	f.Add(byte(Req), sockOptRecord(OptLinger, 0, -1))
	f.Add(byte(Push), sockOptRecord(OptSndHWM, 0, int64(-1<<62)))
	f.Add(byte(Pull), sockOptRecord(OptMaxMsgSize, 0, 0))
	f.Add(byte(Sub), sockOptRecord(-1, 3, nil))
	f.Fuzz(func(t *testing.T, typ byte, ops []byte) {
		fuzzListener(t)
		s, err := fuzzCtx.NewSocket(Type(int(typ) % int(Stream+1)))
		if err != nil {
			t.Fatal(err)
		}
		closed := false
		defer func() {
			if !closed {
				s.Close()
			}
		}()
		for len(ops) >= 2 {
			opt := Opt(int8(ops[0]))
			var v any
			v, ops = sockOptValue(ops[1], ops[2:])
			sockOptError(t, "SetSockOpt", opt, v, s.SetSockOpt(opt, v))
			_, err := s.SockOpt(opt)
			sockOptError(t, "SockOpt", opt, nil, err)
		}
		_ = s.Bind("tcp://127.0.0.1:*") // an error is fine: options may forbid it
		closed = true
		done := make(chan struct{})
		go func() { s.Close(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("Close still blocked after 5s")
		}
	})
}

func sockOptError(t *testing.T, what string, opt Opt, v any, err error) {
	t.Helper()
	if err == nil || errors.Is(err, ErrInvalid) || errors.Is(err, ErrNotSupported) {
		return
	}
	t.Fatalf("%s(%d, %#v): error matches no sentinel: %v (%T)", what, opt, v, err, err)
}

// sockOptValue decodes one value of kind from b and returns the rest.
func sockOptValue(kind byte, b []byte) (any, []byte) {
	switch kind % 4 {
	case 0:
		var n [8]byte
		k := copy(n[:], b)
		return int(int64(binary.BigEndian.Uint64(n[:]))), b[k:]
	case 1, 2:
		if len(b) == 0 {
			return []byte{}, b
		}
		n := min(int(b[0]), len(b)-1)
		v := b[1 : 1+n]
		if kind%4 == 2 {
			return string(v), b[1+n:]
		}
		return v, b[1+n:]
	}
	return true, b // a type no option takes
}

// sockOptRecord encodes one record for the seeds.
func sockOptRecord(opt Opt, kind byte, v any) []byte {
	rec := []byte{byte(int8(opt)), kind}
	switch v := v.(type) {
	case int:
		rec = binary.BigEndian.AppendUint64(rec, uint64(v))
	case int64: // a value an int cannot hold on 32 bits
		rec = binary.BigEndian.AppendUint64(rec, uint64(v))
	case string:
		rec = append(append(rec, byte(len(v))), v...)
	}
	return rec
}
