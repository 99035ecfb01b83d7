package affinity

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAllowedNonEmptyAndSorted(t *testing.T) {
	cpus, err := Allowed()
	require.NoError(t, err)
	require.NotEmpty(t, cpus)
	for i := 1; i < len(cpus); i++ {
		assert.Less(t, cpus[i-1], cpus[i], "ascending and distinct")
	}
	assert.GreaterOrEqual(t, cpus[0], 0)
}

func TestDetectSane(t *testing.T) {
	topo := Detect()
	assert.Positive(t, topo.LogicalCPUs)
	assert.Positive(t, topo.PhysicalCores)
	assert.Positive(t, topo.ThreadsPerCore)
	assert.Positive(t, topo.CacheLine)
	assert.Equal(t, CacheLineSize(), topo.CacheLine)
	for _, size := range []int{topo.L1D, topo.L2, topo.L3} {
		assert.True(t, size == -1 || size > 0, "cache size %d", size)
	}
}

func TestCacheLineSizeIsPowerOfTwo(t *testing.T) {
	n := CacheLineSize()
	assert.Positive(t, n)
	assert.Zero(t, n&(n-1))
}

func TestErrUnsupportedMatchesStdlib(t *testing.T) {
	assert.True(t, errors.Is(ErrUnsupported, errors.ErrUnsupported))
}

func TestPlan(t *testing.T) {
	noSMT := Topology{ThreadsPerCore: 1}
	smt := Topology{ThreadsPerCore: 2}
	cases := []struct {
		name    string
		n       int
		allowed []int
		topo    Topology
		want    []int
	}{
		{"zero threads", 0, []int{0, 1}, noSMT, nil},
		{"negative", -1, []int{0, 1}, noSMT, nil},
		{"no cpus", 2, nil, noSMT, nil},
		{"first n without SMT", 2, []int{0, 1, 2, 3}, noSMT, []int{0, 1}},
		{"taskset range", 2, []int{4, 5, 6, 7}, noSMT, []int{4, 5}},
		{"exactly all", 4, []int{0, 1, 2, 3}, smt, []int{0, 1, 2, 3}},
		{"wraps when short", 5, []int{2, 3}, noSMT, []int{2, 3, 2, 3, 2}},
		{"wraps with SMT", 3, []int{0, 1}, smt, []int{0, 1, 0}},
		{"SMT spreads", 2, []int{0, 1, 2, 3}, smt, []int{0, 2}},
		{"SMT spreads wide", 4, []int{0, 1, 2, 3, 4, 5, 6, 7}, smt, []int{0, 2, 4, 6}},
		{"SMT uneven", 3, []int{0, 1, 2, 3, 4, 5, 6}, smt, []int{0, 2, 4}},
		{"SMT single", 1, []int{8, 9}, smt, []int{8}},
		{"SMT sparse ids", 2, []int{1, 3, 5, 7}, smt, []int{1, 5}},
		{"unknown topology", 2, []int{0, 1, 2}, Topology{}, []int{0, 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			allowed := append([]int(nil), c.allowed...)
			got := Plan(c.n, allowed, c.topo)
			assert.Equal(t, c.want, got)
			assert.Equal(t, c.allowed, allowed, "allowed must not be modified")
		})
	}
}

func TestPlanDistinctWhenPossible(t *testing.T) {
	allowed := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	for _, topo := range []Topology{{ThreadsPerCore: 1}, {ThreadsPerCore: 2}, {ThreadsPerCore: 4}} {
		for n := 1; n <= len(allowed); n++ {
			plan := Plan(n, allowed, topo)
			require.Len(t, plan, n)
			seen := map[int]bool{}
			for _, cpu := range plan {
				assert.False(t, seen[cpu], "n=%d tpc=%d: cpu %d twice", n, topo.ThreadsPerCore, cpu)
				seen[cpu] = true
			}
		}
	}
}
