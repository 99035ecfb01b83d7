package socket

import (
	"bytes"
	"slices"

	"github.com/zring/zring/internal/pipe"
)

// mtrie maps topics to the set of pipes subscribed to them (PUB and XPUB),
// as libzmq's mtrie_t: a pipe subscribing twice to a topic is one member.
type mtrie struct {
	root tnode[[]*pipe.Pipe]
}

func noPipes(v *[]*pipe.Pipe) bool { return len(*v) == 0 }

// add subscribes p to topic; true when p is the topic's first subscriber.
func (t *mtrie) add(topic []byte, p *pipe.Pipe) bool {
	n := t.root.walk(topic, true)
	if slices.Contains(n.val, p) {
		return false
	}
	n.val = append(n.val, p)
	return len(n.val) == 1
}

// rm unsubscribes p from topic; last is true when no subscriber is left,
// found false when p was not subscribed.
func (t *mtrie) rm(topic []byte, p *pipe.Pipe) (last, found bool) {
	n := t.root.walk(topic, false)
	if n == nil {
		return false, false
	}
	i := slices.Index(n.val, p)
	if i < 0 {
		return false, false
	}
	n.val = slices.Delete(n.val, i, i+1)
	if len(n.val) > 0 {
		return false, true
	}
	t.root.prune(topic, noPipes)
	return true, true
}

// rmPipe removes p from every topic and calls fn with each topic it was
// subscribed to and whether p was that topic's last subscriber.
func (t *mtrie) rmPipe(p *pipe.Pipe, fn func(topic []byte, last bool)) {
	var gone [][]byte
	t.root.visit(nil, func(key []byte, v *[]*pipe.Pipe) {
		i := slices.Index(*v, p)
		if i < 0 {
			return
		}
		*v = slices.Delete(*v, i, i+1)
		fn(key, len(*v) == 0)
		if len(*v) == 0 {
			gone = append(gone, slices.Clone(key))
		}
	})
	for _, k := range gone {
		t.root.prune(k, noPipes)
	}
}

// match calls fn for each subscription that is a prefix of data, once per
// subscribing pipe and topic (a pipe may come more than once).
func (t *mtrie) match(data []byte, fn func(p *pipe.Pipe)) {
	for n := &t.root; ; {
		for _, p := range n.val {
			fn(p)
		}
		if len(data) == 0 {
			return
		}
		k := n.denseChild(data[0])
		if k == nil && n.skeys != nil {
			k = n.sparseChild(data[0])
		}
		if k == nil || !bytes.HasPrefix(data, k.label) {
			return
		}
		n, data = k, data[len(k.label):]
	}
}
