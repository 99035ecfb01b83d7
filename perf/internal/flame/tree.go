package flame

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/pprof/profile"
)

// Node is one frame of a merged call tree: a function reached through one
// path of calls from the root.
type Node struct {
	Name     string  // the function's full name, e.g. github.com/zring/zring/engine.(*Thread).run
	Value    int64   // the samples' value in this frame and the frames it called
	Children []*Node // the frames it called, by Name

	index map[string]*Node // Children by Name, while the tree is built
}

// RootName is the name of a tree's root, which every stack starts from.
const RootName = "all"

// Options selects what a tree counts.
type Options struct {
	// SampleType names the sample value to count, such as "samples" or
	// "cpu" (nanoseconds) in a CPU profile. Empty means "samples" if the
	// profile has it, else its last value.
	SampleType string
	// TagKey and TagValue, when TagKey is set, keep only the samples
	// labelled TagKey=TagValue (go tool pprof -tagfocus), such as
	// zring=io for the I/O threads' work.
	TagKey, TagValue string
}

// ErrNoSamples is returned for a profile left without samples, after the
// tag filter if any.
var ErrNoSamples = errors.New("flame: no samples")

// Tree merges the stacks of p's samples into a call tree rooted at
// RootName. Inlined calls are frames of their own, as in go tool pprof.
func Tree(p *profile.Profile, o Options) (*Node, error) {
	idx, err := SampleIndex(p, o.SampleType)
	if err != nil {
		return nil, err
	}
	root := &Node{Name: RootName}
	for _, s := range p.Sample {
		v := s.Value[idx]
		if v == 0 || (o.TagKey != "" && !slices.Contains(s.Label[o.TagKey], o.TagValue)) {
			continue
		}
		root.add(s, v)
	}
	if root.Value == 0 {
		return nil, ErrNoSamples
	}
	root.finish()
	return root, nil
}

// SampleIndex is the index in p's sample values of the type named typ,
// chosen as Options.SampleType says.
func SampleIndex(p *profile.Profile, typ string) (int, error) {
	if len(p.SampleType) == 0 {
		return 0, errors.New("flame: the profile has no sample types")
	}
	want := typ
	if want == "" {
		want = "samples"
	}
	for i, st := range p.SampleType {
		if st.Type == want {
			return i, nil
		}
	}
	if typ == "" {
		return len(p.SampleType) - 1, nil
	}
	var have []string
	for _, st := range p.SampleType {
		have = append(have, st.Type)
	}
	return 0, fmt.Errorf("flame: no sample type %q (the profile has %s)", typ, strings.Join(have, ", "))
}

// add adds sample s, of value v, along its stack from the root: its
// locations run from the leaf to the root, and a location's lines from the
// innermost inlined call out.
func (n *Node) add(s *profile.Sample, v int64) {
	n.Value += v
	at := n
	for i := len(s.Location) - 1; i >= 0; i-- {
		loc := s.Location[i]
		if len(loc.Line) == 0 {
			at = at.child(fmt.Sprintf("0x%x", loc.Address))
			at.Value += v
			continue
		}
		for j := len(loc.Line) - 1; j >= 0; j-- {
			name := fmt.Sprintf("0x%x", loc.Address)
			if f := loc.Line[j].Function; f != nil {
				name = f.Name
			}
			at = at.child(name)
			at.Value += v
		}
	}
}

// child returns n's child named name, adding it if need be.
func (n *Node) child(name string) *Node {
	if c, ok := n.index[name]; ok {
		return c
	}
	if n.index == nil {
		n.index = make(map[string]*Node)
	}
	c := &Node{Name: name}
	n.index[name] = c
	n.Children = append(n.Children, c)
	return c
}

// finish sorts every frame's children by name and drops the indexes.
func (n *Node) finish() {
	n.index = nil
	slices.SortFunc(n.Children, func(a, b *Node) int { return strings.Compare(a.Name, b.Name) })
	for _, c := range n.Children {
		c.finish()
	}
}

// Self is the value of n's samples that ended in n itself.
func (n *Node) Self() int64 {
	self := n.Value
	for _, c := range n.Children {
		self -= c.Value
	}
	return self
}

// Depth is the number of frames on the deepest path from n, n included.
func (n *Node) Depth() int {
	d := 0
	for _, c := range n.Children {
		d = max(d, c.Depth())
	}
	return d + 1
}

// ShortName is name without its import path:
// github.com/zring/zring/engine.(*Thread).run is engine.(*Thread).run.
// A slash inside a type parameter list or a receiver is kept.
func ShortName(name string) string {
	end := len(name)
	if i := strings.IndexAny(name, "[("); i >= 0 {
		end = i
	}
	if i := strings.LastIndexByte(name[:end], '/'); i >= 0 {
		return name[i+1:]
	}
	return name
}
