package socket

import (
	"bytes"
	"slices"
)

// tnode is a node of a radix tree (a prefix tree whose edges carry byte
// strings) with a value V per node: a subscription count (trie) or a set of
// pipes (mtrie). Nodes exist only where a key ends or keys branch, so a
// subscription costs one node and its bytes however long it is: a peer
// cannot turn one long topic into a node per byte.
//
// Children are usually a dense slice indexed by the first byte of their
// label, over [min, min+len(kids)), so a lookup is an index, not a map
// probe: matching runs on every published message. A dense slice may hold
// at most denseSlots(live) slots, though: otherwise two 4-byte topics
// ending in 0x00 and 0xff would cost a 256-pointer slice, and a peer could
// turn a few bytes of subscriptions into kilobytes. Beyond that the kids
// are sparse: skeys holds their first bytes, sorted, and skids the kids in
// the same order, found by binary search. One of kids and skids is empty.
type tnode[V any] struct {
	label []byte // the edge from the parent; empty only at the root
	val   V
	min   byte
	kids  []*tnode[V] // dense form
	live  int         // non-nil kids
	skeys []byte      // sparse form: the kids' first bytes, sorted
	skids []*tnode[V] // sparse form: the kids, in skeys' order
}

// denseSlots is the most slots a dense kids slice may have for live kids:
// about eight pointers per kid.
func denseSlots(live int) int { return 8*live + 8 }

// child returns the kid whose label starts with c, or nil.
func (n *tnode[V]) child(c byte) *tnode[V] {
	if k := n.denseChild(c); k != nil || n.skeys == nil {
		return k
	}
	return n.sparseChild(c)
}

// denseChild is child for the dense form, inlined into the matching loops
// (which try sparseChild only on nodes in the sparse form).
func (n *tnode[V]) denseChild(c byte) *tnode[V] {
	if c < n.min || int(c-n.min) >= len(n.kids) {
		return nil
	}
	return n.kids[c-n.min]
}

// sparseChild is child for the sparse form, kept out of line so that the
// matching loops stay small.
//
//go:noinline
func (n *tnode[V]) sparseChild(c byte) *tnode[V] {
	if i, ok := slices.BinarySearch(n.skeys, c); ok {
		return n.skids[i]
	}
	return nil
}

// next follows the kid whose whole label prefixes key; it returns the kid
// and the rest of key, or nil.
func (n *tnode[V]) next(key []byte) (*tnode[V], []byte) {
	k := n.child(key[0])
	if k == nil || !bytes.HasPrefix(key, k.label) {
		return nil, nil
	}
	return k, key[len(k.label):]
}

// walk returns the node for key, creating it (splitting an edge if need
// be) when create is set; otherwise nil if it does not exist.
func (n *tnode[V]) walk(key []byte, create bool) *tnode[V] {
	for len(key) > 0 {
		k := n.child(key[0])
		if k == nil {
			if !create {
				return nil
			}
			k = &tnode[V]{label: bytes.Clone(key)}
			n.setChild(k)
			return k
		}
		common := commonPrefix(k.label, key)
		if common < len(k.label) {
			if !create {
				return nil
			}
			k = n.split(k, common)
		}
		n, key = k, key[common:]
	}
	return n
}

// split cuts kid k's edge after common bytes, inserting a node there, and
// returns that node.
func (n *tnode[V]) split(k *tnode[V], common int) *tnode[V] {
	mid := &tnode[V]{label: bytes.Clone(k.label[:common])}
	k.label = k.label[common:]
	n.replaceChild(mid)
	mid.setChild(k)
	return mid
}

func commonPrefix(a, b []byte) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

// replaceChild puts k in place of the kid whose label starts as k's does.
func (n *tnode[V]) replaceChild(k *tnode[V]) {
	c := k.label[0]
	if n.skeys != nil {
		i, _ := slices.BinarySearch(n.skeys, c)
		n.skids[i] = k
		return
	}
	n.kids[c-n.min] = k
}

// setChild adds k under the first byte of its label, which has no kid.
func (n *tnode[V]) setChild(k *tnode[V]) {
	c := k.label[0]
	n.live++
	if n.skeys != nil {
		i, _ := slices.BinarySearch(n.skeys, c)
		n.skeys = slices.Insert(n.skeys, i, c)
		n.skids = slices.Insert(n.skids, i, k)
		n.reshape()
		return
	}
	lo, hi := c, c
	if len(n.kids) > 0 {
		lo, hi = min(n.min, c), max(n.min+byte(len(n.kids)-1), c)
	}
	if int(hi-lo)+1 > denseSlots(n.live) {
		n.toSparse()
		n.live-- // counted again
		n.setChild(k)
		return
	}
	switch {
	case len(n.kids) == 0:
		n.min, n.kids = c, []*tnode[V]{nil}
	case c < n.min:
		grown := make([]*tnode[V], int(n.min-c)+len(n.kids))
		copy(grown[n.min-c:], n.kids)
		n.min, n.kids = c, grown
	case int(c-n.min) >= len(n.kids):
		n.kids = append(n.kids, make([]*tnode[V], int(c-n.min)+1-len(n.kids))...)
	}
	n.kids[c-n.min] = k
}

// removeChild drops the kid whose label starts with c.
func (n *tnode[V]) removeChild(c byte) {
	n.live--
	switch {
	case n.live == 0:
		n.kids, n.skeys, n.skids = nil, nil, nil
		return
	case n.skeys != nil:
		i, _ := slices.BinarySearch(n.skeys, c)
		n.skeys = slices.Delete(n.skeys, i, i+1)
		n.skids = slices.Delete(n.skids, i, i+1)
	default:
		n.kids[c-n.min] = nil
	}
	n.reshape()
}

// reshape picks the form that suits the kids: dense while its slots stay
// within denseSlots, else sparse.
func (n *tnode[V]) reshape() {
	if n.skeys != nil {
		if int(n.skeys[len(n.skeys)-1]-n.skeys[0])+1 <= denseSlots(n.live) {
			n.toDense()
		}
		return
	}
	if len(n.kids) > denseSlots(n.live) {
		n.toSparse()
	}
}

// toSparse moves the kids to the sparse form.
func (n *tnode[V]) toSparse() {
	n.skeys = make([]byte, 0, n.live)
	n.skids = make([]*tnode[V], 0, n.live)
	for _, k := range n.kids {
		if k != nil {
			n.skeys, n.skids = append(n.skeys, k.label[0]), append(n.skids, k)
		}
	}
	n.kids, n.min = nil, 0
}

// toDense moves the kids to the dense form.
func (n *tnode[V]) toDense() {
	lo := n.skeys[0]
	n.kids = make([]*tnode[V], int(n.skeys[len(n.skeys)-1]-lo)+1)
	for _, k := range n.skids {
		n.kids[k.label[0]-lo] = k
	}
	n.min, n.skeys, n.skids = lo, nil, nil
}

// eachKid calls fn with every kid, in byte order.
func (n *tnode[V]) eachKid(fn func(k *tnode[V])) {
	for _, k := range n.kids {
		if k != nil {
			fn(k)
		}
	}
	for _, k := range n.skids {
		fn(k)
	}
}

// prune removes the now-empty nodes on key's path, bottom up, and merges a
// valueless node with its only kid; empty reports whether a value is empty.
func (n *tnode[V]) prune(key []byte, empty func(*V) bool) {
	if len(key) == 0 {
		return
	}
	k, rest := n.next(key)
	if k == nil {
		return
	}
	k.prune(rest, empty)
	if !empty(&k.val) || k.live > 1 {
		return
	}
	if k.live == 1 { // merge the edge with the only kid's
		k.eachKid(func(only *tnode[V]) {
			only.label = append(bytes.Clone(k.label), only.label...)
			n.replaceChild(only)
		})
		return
	}
	n.removeChild(key[0])
}

// visit calls fn with every key (as built in buf) and value, depth first.
func (n *tnode[V]) visit(buf []byte, fn func(key []byte, v *V)) {
	buf = append(buf, n.label...)
	fn(buf, &n.val)
	n.eachKid(func(k *tnode[V]) { k.visit(buf, fn) })
}

// trie counts subscriptions per topic (SUB and XSUB): the RFC counts
// duplicates, so a topic stays until cancelled as often as subscribed.
type trie struct {
	root  tnode[int]
	count int // distinct topics
}

// add counts a subscription; true when the topic is new.
func (t *trie) add(topic []byte) bool {
	n := t.root.walk(topic, true)
	n.val++
	if n.val == 1 {
		t.count++
	}
	return n.val == 1
}

// rm cancels one subscription; true when it was the topic's last.
func (t *trie) rm(topic []byte) bool {
	n := t.root.walk(topic, false)
	if n == nil || n.val == 0 {
		return false
	}
	if n.val--; n.val > 0 {
		return false
	}
	t.count--
	t.root.prune(topic, func(v *int) bool { return *v == 0 })
	return true
}

// match reports whether some subscribed topic is a prefix of data.
func (t *trie) match(data []byte) bool {
	for n := &t.root; ; {
		if n.val > 0 {
			return true
		}
		if len(data) == 0 {
			return false
		}
		k := n.denseChild(data[0])
		if k == nil && n.skeys != nil {
			k = n.sparseChild(data[0])
		}
		if k == nil || !bytes.HasPrefix(data, k.label) {
			return false
		}
		n, data = k, data[len(k.label):]
	}
}

// topics calls fn once per distinct topic.
func (t *trie) topics(fn func(topic []byte)) {
	t.root.visit(nil, func(key []byte, v *int) {
		if *v > 0 {
			fn(key)
		}
	})
}
