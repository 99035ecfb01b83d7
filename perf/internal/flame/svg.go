package flame

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"html"
	"io"
	"strings"
)

// The drawing's geometry, in pixels.
const (
	// Width is the drawing's width; the frames span it less two margins.
	Width        = 1200
	marginPx     = 10
	frameHeight  = 16
	headerPx     = 48 // the title and the subtitle above the frames
	footerPx     = 8
	fontPx       = 11
	charPx       = 6.6 // a monospace character at fontPx: 0.6 em
	minLabelPx   = 3 * charPx
	minFramePx   = 0.1 // narrower frames are left out, with what they called
	framesWidth  = Width - 2*marginPx
	labelPadding = 3
)

// SVG holds what a drawing says beside its frames.
type SVG struct {
	Title    string // the heading, e.g. "zring local_thr, 64 B over tcp"
	Subtitle string // a second line, e.g. the sample type and a tag filter
}

// Write draws the tree root as a standalone SVG flame graph to w. Frames
// narrower than a tenth of a pixel are left out (their samples still
// widen the frames below them).
func (s SVG) Write(w io.Writer, root *Node) error {
	bw := bufio.NewWriter(w)
	depth := root.Depth()
	height := headerPx + depth*frameHeight + footerPx
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="%d" height="%d" viewBox="0 0 %d %d" font-family="monospace" font-size="%d">
<rect x="0" y="0" width="%d" height="%d" fill="#f8f8f0"/>
<text x="%d" y="20" font-size="16" text-anchor="middle">%s</text>
<text x="%d" y="38" fill="#555" text-anchor="middle">%s</text>
`, Width, height, Width, height, fontPx, Width, height, Width/2, html.EscapeString(s.Title), Width/2, html.EscapeString(s.Subtitle))
	scale := float64(framesWidth) / float64(root.Value)
	bottom := float64(height - footerPx)
	var draw func(n *Node, x float64, level int)
	draw = func(n *Node, x float64, level int) {
		width := float64(n.Value) * scale
		if width < minFramePx {
			return
		}
		frame(bw, n, root.Value, x, bottom-float64((level+1)*frameHeight), width)
		for _, c := range n.Children {
			draw(c, x, level+1)
			x += float64(c.Value) * scale
		}
	}
	draw(root, marginPx, 0)
	bw.WriteString("</svg>\n")
	return bw.Flush()
}

// frame writes one frame: a rectangle, its label if it fits, and a title
// with the full name, the value and its share of total.
func frame(w *bufio.Writer, n *Node, total int64, x, y, width float64) {
	pct := 100 * float64(n.Value) / float64(total)
	fmt.Fprintf(w, `<g><title>%s (%d, %.2f%%)</title><rect x="%.2f" y="%.2f" width="%.2f" height="%d" fill="%s" rx="2"/>`,
		html.EscapeString(n.Name), n.Value, pct, x, y, width, frameHeight-1, colour(n.Name))
	if label := fitLabel(ShortName(n.Name), width); label != "" {
		fmt.Fprintf(w, `<text x="%.2f" y="%.2f">%s</text>`, x+labelPadding, y+frameHeight-4, html.EscapeString(label))
	}
	w.WriteString("</g>\n")
}

// fitLabel is name cut to what a frame width pixels wide shows, with ".."
// where it is cut; nothing if not even a few characters fit.
func fitLabel(name string, width float64) string {
	if width < minLabelPx {
		return ""
	}
	fit := int((width - 2*labelPadding) / charPx)
	r := []rune(name)
	if len(r) <= fit {
		return name
	}
	if fit < 3 {
		return ""
	}
	return string(r[:fit-2]) + ".."
}

// colour picks a frame's fill: a colour by kind of code, a shade by name.
func colour(name string) string {
	h := fnv.New32a()
	h.Write([]byte(name))
	v := h.Sum32()
	a, b := float64(v&0xff)/255, float64(v>>8&0xff)/255
	switch kind(name) {
	case kindZring: // orange
		return rgb(230+25*a, 120+60*b, 30+30*a)
	case kindRuntime: // red
		return rgb(200+40*a, 50+50*b, 50+30*b)
	}
	return rgb(220+35*a, 190+40*b, 50+40*a) // yellow
}

// The kinds of code frames are coloured by.
const (
	kindOther = iota
	kindZring
	kindRuntime
)

// kind tells zring's code and the Go runtime's (system calls included)
// from the rest.
func kind(name string) int {
	switch {
	case strings.HasPrefix(name, "github.com/zring/zring"):
		return kindZring
	case strings.HasPrefix(name, "runtime.") || strings.HasPrefix(name, "internal/runtime/") ||
		strings.HasPrefix(name, "syscall.") || strings.HasPrefix(name, "golang.org/x/sys/unix.") ||
		strings.HasPrefix(name, "internal/poll.") || strings.HasPrefix(name, "internal/syscall/"):
		return kindRuntime
	}
	return kindOther
}

func rgb(r, g, b float64) string { return fmt.Sprintf("rgb(%d,%d,%d)", int(r), int(g), int(b)) }
