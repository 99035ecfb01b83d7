package flame

import (
	"bytes"
	"encoding/xml"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/pprof/profile"
)

// drawn is one frame as the SVG draws it.
type drawn struct {
	name        string
	value       int64
	x, y, width float64
	label       string
	index       int
}

// parseSVG decodes an SVG that Write drew: it must be well-formed XML
// whose <g> elements each hold a frame's title, rect and maybe a label.
func parseSVG(t *testing.T, b []byte) []drawn {
	t.Helper()
	var doc struct {
		XMLName xml.Name `xml:"svg"`
		Width   int      `xml:"width,attr"`
		G       []struct {
			Title string `xml:"title"`
			Rect  struct {
				X     float64 `xml:"x,attr"`
				Y     float64 `xml:"y,attr"`
				Width float64 `xml:"width,attr"`
			} `xml:"rect"`
			Text string `xml:"text"`
		} `xml:"g"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("the SVG is not well-formed XML: %v", err)
	}
	if doc.Width != Width {
		t.Errorf("width %d, want %d", doc.Width, Width)
	}
	title := regexp.MustCompile(`^(.*) \((\d+), [0-9.]+%\)$`)
	var frames []drawn
	for i, g := range doc.G {
		m := title.FindStringSubmatch(g.Title)
		if m == nil {
			t.Fatalf("frame %d: title %q", i, g.Title)
		}
		v, _ := strconv.ParseInt(m[2], 10, 64)
		frames = append(frames, drawn{name: m[1], value: v, x: g.Rect.X, y: g.Rect.Y, width: g.Rect.Width, label: g.Text, index: i})
	}
	return frames
}

// render draws the profile in testdata/name as Write does.
func render(t *testing.T, name string, o Options) (*Node, []byte) {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := profile.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	root, err := Tree(p, o)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := (SVG{Title: "local_thr <64 B> & co", Subtitle: "test"}).Write(&b, root); err != nil {
		t.Fatal(err)
	}
	return root, b.Bytes()
}

// The real profile of a local_thr run (testdata/local_thr.pprof, 64 B
// over TCP): the SVG parses, names the functions that did the work, and
// every frame's width is its share of the samples, the root spanning the
// graph and each frame lying on its caller, with its siblings side by
// side no wider than it.
func TestSVGOfRealProfile(t *testing.T) {
	root, b := render(t, "local_thr.pprof", Options{})
	frames := parseSVG(t, b)
	if len(frames) < 20 {
		t.Fatalf("%d frames drawn", len(frames))
	}
	svg := string(b)
	for _, name := range []string{"engine.(*Thread).run", "engine.(*Conn).OnEvent", "perfutil.(*Config).Receive", "zring.(*Socket).RecvFrame", "runtime.main"} {
		if !strings.Contains(svg, ">"+name+"<") {
			t.Errorf("no frame labelled %s", name)
		}
	}
	if !strings.Contains(svg, "local_thr &lt;64 B&gt; &amp; co") {
		t.Error("the title is not escaped")
	}
	scale := float64(framesWidth) / float64(root.Value)
	if r := frames[0]; r.name != RootName || r.value != root.Value || math.Abs(r.width-framesWidth) > 0.01 || r.x != marginPx {
		t.Fatalf("root drawn as %+v, want %d samples across %d px", r, root.Value, framesWidth)
	}
	for _, f := range frames {
		if want := float64(f.value) * scale; math.Abs(f.width-want) > 0.01 {
			t.Errorf("%s: %d samples drawn %.2f px wide, want %.2f", f.name, f.value, f.width, want)
		}
	}
	checkNesting(t, frames)
}

// checkNesting checks that each frame lies within a frame one row below
// it, and that the frames on one caller add up to no more than its width
// or its samples.
func checkNesting(t *testing.T, frames []drawn) {
	t.Helper()
	type sum struct {
		width float64
		value int64
	}
	sums := map[int]*sum{}
	for _, f := range frames[1:] {
		parent := -1
		for _, p := range frames {
			if math.Abs(p.y-(f.y+frameHeight)) < 0.01 && p.x <= f.x+0.01 && f.x+f.width <= p.x+p.width+0.02 {
				parent = p.index
			}
		}
		if parent < 0 {
			t.Errorf("%s (x %.2f, y %.2f) lies on no frame", f.name, f.x, f.y)
			continue
		}
		if sums[parent] == nil {
			sums[parent] = &sum{}
		}
		sums[parent].width += f.width
		sums[parent].value += f.value
	}
	for i, s := range sums {
		p := frames[i]
		if s.width > p.width+0.05 || s.value > p.value {
			t.Errorf("%s: %d samples, %.2f px; the frames on it: %d samples, %.2f px", p.name, p.value, p.width, s.value, s.width)
		}
	}
}

// With -tag zring=io only the I/O thread's loop is left on the root, all
// of its samples carried the label, and the graph still adds up.
func TestSVGOfIOThreads(t *testing.T) {
	all, _ := render(t, "local_thr.pprof", Options{})
	root, b := render(t, "local_thr.pprof", Options{TagKey: "zring", TagValue: "io"})
	if got := names(root.Children); got != "github.com/zring/zring/engine.(*Thread).run" {
		t.Errorf("the I/O threads' samples start in %q", got)
	}
	if run := find(t, all, "github.com/zring/zring/engine.(*Thread).run"); run.Value != root.Value {
		t.Errorf("the loop has %d samples, %d of them labelled", run.Value, root.Value)
	}
	checkNesting(t, parseSVG(t, b))
}

func TestFitLabel(t *testing.T) {
	name := "engine.(*Thread).run" // 20 characters
	if got := fitLabel(name, 20*charPx+2*labelPadding); got != name {
		t.Errorf("room for all: %q", got)
	}
	if got := fitLabel(name, 10*charPx+2*labelPadding); got != "engine.(.." {
		t.Errorf("room for 10: %q", got)
	}
	if got := fitLabel(name, 2*charPx); got != "" {
		t.Errorf("no room: %q", got)
	}
}
