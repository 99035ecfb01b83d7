package socket

import (
	"bytes"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring/internal/pipe"
	"github.com/zring/zring/mempool"
)

func TestTrieCountsAndMatches(t *testing.T) {
	var tr trie
	assert.False(t, tr.match([]byte("abc")))
	assert.True(t, tr.add([]byte("ab")))
	assert.False(t, tr.add([]byte("ab")), "duplicate is counted, not new")
	assert.True(t, tr.add([]byte("x")))
	assert.True(t, tr.match([]byte("abc")))
	assert.True(t, tr.match([]byte("ab")))
	assert.False(t, tr.match([]byte("a")))
	assert.False(t, tr.match([]byte("b")))
	assert.False(t, tr.rm([]byte("ab")), "one of two left")
	assert.True(t, tr.match([]byte("abc")))
	assert.True(t, tr.rm([]byte("ab")), "last")
	assert.False(t, tr.match([]byte("abc")))
	assert.False(t, tr.rm([]byte("nope")))
	var topics []string
	tr.topics(func(b []byte) { topics = append(topics, string(b)) })
	assert.Equal(t, []string{"x"}, topics)
	assert.True(t, tr.rm([]byte("x")))
	assert.Nil(t, tr.root.kids, "emptied trie is pruned")

	assert.True(t, tr.add(nil))
	assert.True(t, tr.match([]byte("anything")), "empty topic matches all")
	assert.True(t, tr.match(nil))
}

func TestTrieWideByteRange(t *testing.T) {
	var tr trie
	for _, k := range []string{"m", "a", "z", "\x00", "\xff"} {
		require.True(t, tr.add([]byte(k)))
	}
	for _, k := range []string{"m1", "a1", "z1", "\x001", "\xff1"} {
		assert.True(t, tr.match([]byte(k)), "%q", k)
	}
	assert.False(t, tr.match([]byte("b")))
}

func TestMtrieSetsAndMatch(t *testing.T) {
	var m mtrie
	p1, p2 := &pipe.Pipe{}, &pipe.Pipe{}
	assert.True(t, m.add([]byte("a"), p1))
	assert.False(t, m.add([]byte("a"), p1), "a pipe is one member")
	assert.False(t, m.add([]byte("a"), p2))
	assert.True(t, m.add([]byte("ab"), p1))
	var got []*pipe.Pipe
	m.match([]byte("abc"), func(p *pipe.Pipe) { got = append(got, p) })
	assert.Len(t, got, 3, "p1 twice (a, ab), p2 once; dist dedupes")

	last, found := m.rm([]byte("a"), p1)
	assert.False(t, last)
	assert.True(t, found)
	_, found = m.rm([]byte("a"), p1)
	assert.False(t, found)

	var gone []string
	m.rmPipe(p1, func(topic []byte, last bool) {
		if last {
			gone = append(gone, string(topic))
		}
	})
	assert.Equal(t, []string{"ab"}, gone)
	last, _ = m.rm([]byte("a"), p2)
	assert.True(t, last)
	assert.Nil(t, m.root.kids)
}

// Fan-out queues the same frames to every matching pipe, raising their
// reference counts instead of copying.
func TestDistSharesFrames(t *testing.T) {
	var d dist
	var m mtrie
	pipes := []*pipe.Pipe{testPipe(4), testPipe(4), testPipe(4), testPipe(4)}
	for i, p := range pipes {
		d.attach(p)
		if i < 3 {
			m.add([]byte("t"), p)
			m.add([]byte("to"), p) // matches twice, must be sent once
		}
	}
	head := mempool.FromBytes([]byte("topic"))
	head.SetMore(true)
	tail := mempool.FromBytes([]byte("body"))
	head.SetNext(tail)
	d.begin()
	m.match(head.Bytes(), d.mark)
	d.send(head)
	assert.EqualValues(t, 3, head.Refs())
	assert.EqualValues(t, 3, tail.Refs())
	for i, p := range pipes {
		msg := p.Session().Read()
		ok := msg != nil
		if i == 3 {
			assert.False(t, ok, "no subscription, nothing queued")
			continue
		}
		require.True(t, ok)
		assert.Same(t, head, msg, "pipe %d got the shared chain", i)
		again := p.Session().Read() != nil
		assert.False(t, again, "exactly once")
		mempool.ReleaseChain(msg)
	}
	assert.EqualValues(t, 0, head.Refs())
}

func TestDistInvertAndFullPipes(t *testing.T) {
	var d dist
	a, b := testPipe(2), testPipe(2)
	d.attach(a)
	d.attach(b)
	d.begin()
	d.mark(a)
	d.invert()
	require.Len(t, d.targets, 1)
	assert.Same(t, b, d.targets[0])

	for range 5 { // b holds 2; the rest is dropped, never blocking
		d.markAll()
		d.send(mempool.FromBytes([]byte("x")))
	}
	var names []string
	for _, p := range []*pipe.Pipe{a, b} {
		for {
			msg := p.Session().Read()
			ok := msg != nil
			if !ok {
				break
			}
			names = append(names, string(msg.Bytes()))
			mempool.ReleaseChain(msg)
		}
	}
	sort.Strings(names)
	assert.Len(t, names, 4, "two per pipe kept, the rest dropped")
}

// A long topic costs one node, not one per byte: a peer cannot amplify a
// subscription into memory.
func TestTrieLongTopicIsOneNode(t *testing.T) {
	var tr trie
	long := make([]byte, 1<<20)
	tr.add(long)
	assert.Equal(t, 2, countNodes(&tr.root), "root and one leaf")
	tr.add(long[:10]) // splits the edge
	assert.Equal(t, 3, countNodes(&tr.root))
	assert.True(t, tr.rm(long[:10]))
	assert.Equal(t, 2, countNodes(&tr.root), "the split node merged back")
	assert.True(t, tr.match(append(long, 'x')))
	assert.False(t, tr.match(long[:100]))
}

// A subscriber cannot make a few bytes of topics cost kilobytes: two
// topics that branch at 0x00 and 0xff would make a 256-slot dense kids
// slice; every node keeps within about 8 slots per kid instead.
func TestTrieBoundsSlotsPerKid(t *testing.T) {
	var tr trie
	var m mtrie
	p := &pipe.Pipe{}
	const n = 1000
	for i := range n {
		for _, last := range []byte{0x00, 0xff, 0x80} {
			topic := []byte{byte(i >> 8), byte(i), 'x', last}
			tr.add(topic)
			m.add(topic, p)
		}
	}
	for _, root := range []func() (int, int){
		func() (int, int) { return countSlots(&tr.root), countNodes(&tr.root) },
		func() (int, int) { return countSlots(&m.root), countNodes(&m.root) },
	} {
		slots, nodes := root()
		assert.Less(t, slots, 10*nodes, "slots per node")
	}
	for i := range n {
		for _, last := range []byte{0x00, 0xff, 0x80} {
			topic := []byte{byte(i >> 8), byte(i), 'x', last}
			require.True(t, tr.match(append(topic, 'y')))
			require.True(t, tr.rm(topic))
			last, found := m.rm(topic, p)
			require.True(t, last && found)
		}
	}
	assert.Equal(t, 1, countNodes(&tr.root))
	assert.Equal(t, 1, countNodes(&m.root))
}

func countSlots[V any](n *tnode[V]) int {
	c := len(n.kids) + len(n.skids)
	n.eachKid(func(k *tnode[V]) { c += countSlots(k) })
	return c
}

func countNodes[V any](n *tnode[V]) int {
	c := 1
	n.eachKid(func(k *tnode[V]) { c += countNodes(k) })
	return c
}

// The radix tree agrees with a naive list of counted topics under random
// subscribes, cancels and matches, and empties completely.
func TestTrieMatchesNaiveModel(t *testing.T) {
	// A small alphabet makes deep trees; one spread over the byte range
	// moves nodes between the dense and the sparse form.
	for name, alphabet := range map[string]string{"abc": "abc", "wide": "\x00\x01a\x7f\x80\xfe\xff"} {
		t.Run(name, func(t *testing.T) { testTrieModel(t, alphabet) })
	}
}

func testTrieModel(t *testing.T, alphabet string) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() []byte {
		b := make([]byte, rng.IntN(6))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return b
	}
	var tr trie
	var m mtrie
	pipes := []*pipe.Pipe{{}, {}, {}}
	model := map[string]int{}
	pipeModel := map[string]map[*pipe.Pipe]bool{}
	for range 20000 {
		w := word()
		p := pipes[rng.IntN(len(pipes))]
		switch rng.IntN(3) {
		case 0:
			assert.Equal(t, model[string(w)] == 0, tr.add(w))
			model[string(w)]++
			if pipeModel[string(w)] == nil {
				pipeModel[string(w)] = map[*pipe.Pipe]bool{}
			}
			assert.Equal(t, len(pipeModel[string(w)]) == 0, m.add(w, p))
			pipeModel[string(w)][p] = true
		case 1:
			if model[string(w)] > 0 {
				model[string(w)]--
				assert.Equal(t, model[string(w)] == 0, tr.rm(w))
			} else {
				assert.False(t, tr.rm(w))
			}
			had := pipeModel[string(w)][p]
			delete(pipeModel[string(w)], p)
			last, found := m.rm(w, p)
			assert.Equal(t, had, found)
			assert.Equal(t, had && len(pipeModel[string(w)]) == 0, last)
		default:
			want, wantPipes := false, map[*pipe.Pipe]bool{}
			for k, n := range model {
				if n > 0 && bytes.HasPrefix(w, []byte(k)) {
					want = true
				}
			}
			for k, ps := range pipeModel {
				if bytes.HasPrefix(w, []byte(k)) {
					for p := range ps {
						wantPipes[p] = true
					}
				}
			}
			assert.Equal(t, want, tr.match(w), "match %q", w)
			got := map[*pipe.Pipe]bool{}
			m.match(w, func(p *pipe.Pipe) { got[p] = true })
			assert.Equal(t, wantPipes, got, "mtrie match %q", w)
		}
	}
	for k, n := range model {
		for range n {
			tr.rm([]byte(k))
		}
	}
	for k, ps := range pipeModel {
		for p := range ps {
			m.rm([]byte(k), p)
		}
	}
	assert.Equal(t, 1, countNodes(&tr.root), "trie emptied")
	assert.Equal(t, 1, countNodes(&m.root), "mtrie emptied")
}

// testPipe is a pipe with no session and hwm slots each way.
func testPipe(hwm int) *pipe.Pipe {
	p := pipe.New(hwm, hwm, false)
	p.SetFar(nopFar{})
	return p
}

// nopFar is the far end of a pipe no session serves.
type nopFar struct{}

func (nopFar) WakeReader()  {}
func (nopFar) WakeWriter()  {}
func (nopFar) Refuse(error) {}
func (nopFar) Drop()        {}
