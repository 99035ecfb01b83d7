package socket

import "bytes"

// tnode is a node of a radix tree (a prefix tree whose edges carry byte
// strings) with a value V per node: a subscription count (trie) or a set of
// pipes (mtrie). Nodes exist only where a key ends or keys branch, so a
// subscription costs one node and its bytes however long it is: a peer
// cannot turn one long topic into a node per byte. Children are a dense
// slice indexed by the first byte of their label, over [min,
// min+len(kids)), so a lookup is an index, not a map probe: matching runs
// on every published message.
type tnode[V any] struct {
	label []byte // the edge from the parent; empty only at the root
	val   V
	min   byte
	kids  []*tnode[V]
	live  int // non-nil kids
}

// child returns the kid whose label starts with c, or nil.
func (n *tnode[V]) child(c byte) *tnode[V] {
	if c < n.min || int(c-n.min) >= len(n.kids) {
		return nil
	}
	return n.kids[c-n.min]
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
	n.kids[mid.label[0]-n.min] = mid
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

// setChild adds k under the first byte of its label, widening the range.
func (n *tnode[V]) setChild(k *tnode[V]) {
	c := k.label[0]
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
	n.live++
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
	slot := &n.kids[key[0]-n.min]
	if k.live == 1 { // merge the edge with the only kid's
		for _, only := range k.kids {
			if only != nil {
				only.label = append(bytes.Clone(k.label), only.label...)
				*slot = only
			}
		}
		return
	}
	*slot = nil
	if n.live--; n.live == 0 {
		n.kids = nil
	}
}

// visit calls fn with every key (as built in buf) and value, depth first.
func (n *tnode[V]) visit(buf []byte, fn func(key []byte, v *V)) {
	buf = append(buf, n.label...)
	fn(buf, &n.val)
	for _, k := range n.kids {
		if k != nil {
			k.visit(buf, fn)
		}
	}
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
	for n := &t.root; n != nil; n, data = n.next(data) {
		if n.val > 0 {
			return true
		}
		if len(data) == 0 {
			return false
		}
	}
	return false
}

// topics calls fn once per distinct topic.
func (t *trie) topics(fn func(topic []byte)) {
	t.root.visit(nil, func(key []byte, v *int) {
		if *v > 0 {
			fn(key)
		}
	})
}
