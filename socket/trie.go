package socket

// tnode is a node of a byte-wise prefix tree whose nodes carry a value V:
// a subscription count (trie) or a set of pipes (mtrie). Children are a
// dense slice over the byte range [min, min+len(kids)), as libzmq's tries
// keep them, so a lookup is an index, not a map probe: matching runs on
// every published message.
type tnode[V any] struct {
	val  V
	min  byte
	kids []*tnode[V]
	live int // non-nil kids
}

// child returns the kid for byte c, or nil.
func (n *tnode[V]) child(c byte) *tnode[V] {
	if c < n.min || int(c-n.min) >= len(n.kids) {
		return nil
	}
	return n.kids[c-n.min]
}

// walk returns the node for key, creating the path when create is set;
// otherwise nil if it does not exist.
func (n *tnode[V]) walk(key []byte, create bool) *tnode[V] {
	for _, c := range key {
		k := n.child(c)
		if k == nil {
			if !create {
				return nil
			}
			k = &tnode[V]{}
			n.setChild(c, k)
		}
		n = k
	}
	return n
}

// setChild stores k as the kid for byte c, widening the kid range.
func (n *tnode[V]) setChild(c byte, k *tnode[V]) {
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

// prune removes the now-empty nodes on key's path, bottom up; empty reports
// whether a node's value is empty.
func (n *tnode[V]) prune(key []byte, empty func(*V) bool) {
	if len(key) == 0 {
		return
	}
	k := n.child(key[0])
	if k == nil {
		return
	}
	k.prune(key[1:], empty)
	if k.live == 0 && empty(&k.val) {
		n.kids[key[0]-n.min] = nil
		if n.live--; n.live == 0 {
			n.kids = nil
		}
	}
}

// visit calls fn with every key (as built in buf) and value, depth first.
func (n *tnode[V]) visit(buf []byte, fn func(key []byte, v *V)) {
	fn(buf, &n.val)
	for i, k := range n.kids {
		if k != nil {
			k.visit(append(buf, n.min+byte(i)), fn)
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
	n := &t.root
	for i := 0; ; i++ {
		if n.val > 0 {
			return true
		}
		if i == len(data) {
			return false
		}
		if n = n.child(data[i]); n == nil {
			return false
		}
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
