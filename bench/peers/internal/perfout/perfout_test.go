package perfout

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	a, err := Parse([]string{"remote_lat", "tcp://127.0.0.1:5555", "64", "1000"})
	if err != nil || a != (Args{Tool: RemoteLat, Endpoint: "tcp://127.0.0.1:5555", Size: 64, Count: 1000}) {
		t.Fatalf("got %+v, %v", a, err)
	}
	if a, err = Parse([]string{"local_thr", "ipc:///tmp/x", "0", "1"}); err != nil || a.Size != 0 {
		t.Fatalf("size 0: got %+v, %v", a, err)
	}
	for _, args := range [][]string{
		{},
		{"local_thr", "tcp://127.0.0.1:5555", "64"},
		{"local_thr", "tcp://127.0.0.1:5555", "64", "10", "1"},
		{"inproc_thr", "tcp://127.0.0.1:5555", "64", "10"},
		{"local_thr", "tcp://127.0.0.1:5555", "-1", "10"},
		{"local_thr", "tcp://127.0.0.1:5555", "64", "0"},
		{"local_lat", "tcp://127.0.0.1:5555", "x", "10"},
	} {
		if _, err := Parse(args); err == nil {
			t.Errorf("Parse(%q): no error", args)
		}
	}
}

func TestSplitEndpoint(t *testing.T) {
	for in, want := range map[string][2]string{
		"tcp://127.0.0.1:5555": {"tcp", "127.0.0.1:5555"},
		"ipc:///tmp/peer.sock": {"unix", "/tmp/peer.sock"},
	} {
		n, a, err := SplitEndpoint(in)
		if err != nil || n != want[0] || a != want[1] {
			t.Errorf("SplitEndpoint(%q) = %q, %q, %v; want %q", in, n, a, err, want)
		}
	}
	for _, in := range []string{"", "tcp://", "127.0.0.1:5555", "inproc://x", "udp://1.2.3.4:5"} {
		if _, _, err := SplitEndpoint(in); err == nil {
			t.Errorf("SplitEndpoint(%q): no error", in)
		}
	}
}

// TestTimeLoops: each loop runs its step Count times and stops at the
// first error, returning it.
func TestTimeLoops(t *testing.T) {
	a := Args{Size: 1, Count: 5}
	for name, loop := range map[string]func(Args, func() error) error{"TimeReceives": TimeReceives, "TimeRoundtrips": TimeRoundtrips} {
		n := 0
		if err := loop(a, func() error { n++; return nil }); err != nil || n != a.Count {
			t.Errorf("%s: %d steps, err %v; want %d, nil", name, n, err, a.Count)
		}
		boom := errors.New("boom")
		n = 0
		if err := loop(a, func() error { n++; return boom }); err != boom || n != 1 {
			t.Errorf("%s: %d steps, err %v; want 1, boom", name, n, err)
		}
	}
}
