// Package flame draws a flame graph of a pprof profile as one standalone
// SVG file, with no script and no outside file, for the perf tools'
// profiles (make flame, docs/profiling.md).
//
// The layout is Brendan Gregg's (flamegraph.pl): each sample's stack is
// merged into a call tree (Tree) whose root, "all", is drawn at the
// bottom; a frame sits on the frame that called it, and its width is its
// share of the samples, so the widest frames are where the time went.
// Siblings are in alphabetical order, not in time order, so that equal
// profiles draw equal graphs. Frames are coloured by kind: zring's own
// code orange, the Go runtime and system calls red, the rest yellow; the
// shade within a colour comes from the function's name, so a function
// keeps its shade from one graph to the next. Hovering a frame shows its
// full name, samples and share (an SVG title).
package flame
