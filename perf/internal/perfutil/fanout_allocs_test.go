//go:build linux && !race

package perfutil

import "testing"

// TestFanoutAllocs: publishing and receiving allocate nothing per
// message: ten times the messages cost (almost) no more allocations.
func TestFanoutAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	const subs, small, large = 3, 5000, 50000
	fanoutMallocs(t, subs, small) // warm the frame pools
	a := fanoutMallocs(t, subs, small)
	b := fanoutMallocs(t, subs, large)
	extra := float64(b) - float64(a)
	perMsg := extra / float64(subs*(large-small))
	t.Logf("%d mallocs for %d messages x %d subscribers, %d for %d: %.4f per delivered message", a, small, subs, b, large, perMsg)
	if perMsg > 0.01 {
		t.Errorf("%.4f allocations per delivered message, want none", perMsg)
	}
}
