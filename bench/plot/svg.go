package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Layout, in pixels: the width fits GitHub's rendering of a Markdown file
// (about 800 px) without scaling.
const (
	width       = 800
	margin      = 16
	titleSize   = 16
	textSize    = 12
	captionSize = 11
	barHeight   = 14
	barGap      = 3
	groupGap    = 12
	valueRoom   = 64 // right of the plot, for the last bar's label
)

// colours per implementation: fixed for the known ones, so libzmq (and
// every other) has one colour in every chart and every report.
var colours = map[string]string{
	"libzmq":      "#4e79a7",
	"zring":       "#f28e2b",
	"zring-epoll": "#e15759",
	"zring-uring": "#76b7b2",
	"zring-raise": "#59a14f",
	"zring-base":  "#b6992d",
	"pebbe":       "#b07aa1",
	"gozmq":       "#ff9da7",
	"rawtcp":      "#9c755f",
	"nats":        "#17becf",
	"grpc":        "#bcbd22",
}

// spare colours for other names, picked by a hash of the name (stable
// across charts, though two unknown names may share one).
var spare = []string{"#17becf", "#bcbd22", "#7f7f7f", "#8c564b", "#d62728", "#2ca02c", "#9467bd", "#1f77b4"}

func colour(impl string) string {
	if c, ok := colours[impl]; ok {
		return c
	}
	h := fnv.New32a()
	h.Write([]byte(impl))
	return spare[h.Sum32()%uint32(len(spare))]
}

// textWidth estimates the width of s in a sans-serif font of the size.
func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * 0.6
}

// wrap breaks s into lines that fit the chart's width at the font size
// (bold text counts as a larger size), at spaces.
func wrap(s string, size float64) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && textWidth(line+" "+w, size) > width-2*margin {
			lines = append(lines, line)
			line = w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

// svg accumulates the elements of a chart.
type svg struct{ b bytes.Buffer }

func (s *svg) printf(format string, a ...any) { fmt.Fprintf(&s.b, format, a...) }

func esc(t string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(t)) //nolint:errcheck // a bytes.Buffer does not fail
	return b.String()
}

func num(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }

// text draws a text element; attrs is added verbatim (already escaped).
func (s *svg) text(x, y float64, size int, attrs, t string) {
	s.printf(`<text x="%s" y="%s" font-size="%d"%s>%s</text>`+"\n", num(x), num(y), size, attrs, esc(t))
}

func (s *svg) rect(x, y, w, h float64, attrs string) {
	s.printf(`<rect x="%s" y="%s" width="%s" height="%s"%s/>`+"\n", num(x), num(y), num(w), num(h), attrs)
}

func (s *svg) line(x1, y1, x2, y2 float64, attrs string) {
	s.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s"%s/>`+"\n", num(x1), num(y1), num(x2), num(y2), attrs)
}

// niceStep picks a tick step of 1, 2, 2.5 or 5 times a power of ten that
// cuts [0, hi] into about five to eight parts.
func niceStep(hi float64) float64 {
	raw := hi / 6
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// format writes a bar's value: two decimals up to 10, then fewer.
func format(v float64, unit string) string {
	switch {
	case unit == "%":
		return strconv.FormatFloat(v, 'f', 1, 64) + "%"
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64) + unit
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64) + unit
	}
	return strconv.FormatFloat(v, 'f', 2, 64) + unit
}

// SVG draws the chart: title, subtitle, legend, then the groups as
// horizontal bars against a shared x axis from 0, the reference line, the
// axis' ticks, and the caption at the foot.
func (c *Chart) SVG() []byte {
	var body svg
	y := float64(margin + titleSize)
	for i, l := range wrap(c.Title, titleSize*1.1) {
		if i > 0 {
			y += titleSize + 4
		}
		body.text(margin, y, titleSize, ` font-weight="bold"`, l)
	}
	for _, l := range wrap(c.Subtitle, textSize) {
		y += textSize + 6
		body.text(margin, y, textSize, ` fill="#444"`, l)
	}
	y += 2

	// legend: a swatch and a name per implementation, then the reference
	// line's entry; wraps at the chart's width
	y += 22
	x := float64(margin)
	wrap := func(w float64) {
		if x+w > width-margin && x > margin {
			x, y = margin, y+20
		}
	}
	for _, i := range c.Impls {
		w := 12 + 6 + textWidth(i, textSize) + 18
		wrap(w)
		body.rect(x, y-10, 12, 12, fmt.Sprintf(` fill="%s" class="swatch"`, colour(i)))
		body.text(x+18, y, textSize, ` class="legend"`, i)
		x += w
	}
	w := 24 + 6 + textWidth(c.RefLabel, textSize)
	wrap(w)
	body.line(x, y-4, x+24, y-4, fmt.Sprintf(` stroke="%s" stroke-width="2" stroke-dasharray="6 3"`, colour(c.RefImpl)))
	body.text(x+30, y, textSize, ` class="legend"`, c.RefLabel)

	// scale: from 0 to past the largest bar and the reference line
	hi := c.Ref
	for _, g := range c.Groups {
		for _, b := range g.Bars {
			if b.OK && b.Value > hi {
				hi = b.Value
			}
		}
	}
	step := niceStep(hi * 1.05)
	top := math.Ceil(hi*1.05/step) * step
	labelW := 0.0
	for _, g := range c.Groups {
		labelW = math.Max(labelW, textWidth(g.Label, textSize))
	}
	x0 := margin + labelW + 10
	x1 := float64(width - margin - valueRoom)
	xs := func(v float64) float64 { return x0 + (x1-x0)*v/top }

	plotTop := y + 38
	y = plotTop
	var bars, labels svg
	for gi, g := range c.Groups {
		h := float64(len(g.Bars))*(barHeight+barGap) - barGap
		if gi%2 == 1 {
			body.rect(margin, y-groupGap/2, width-2*margin, h+groupGap, ` fill="#f3f4f6"`)
		}
		body.text(x0-8, y+h/2+4, textSize, ` text-anchor="end" class="group"`, g.Label)
		for _, b := range g.Bars {
			data := fmt.Sprintf(` data-group="%s" data-impl="%s"`, esc(g.Label), esc(b.Impl))
			if b.OK {
				bars.rect(x0, y, math.Max(xs(b.Value)-x0, 1), barHeight,
					fmt.Sprintf(` fill="%s" class="bar"%s`, colour(b.Impl), data))
				labels.text(xs(b.Value)+4, y+barHeight-3, captionSize, ` class="value"`+data, format(b.Value, c.Unit))
			} else {
				labels.text(x0+4, y+barHeight-3, captionSize, ` fill="#888" font-style="italic" class="value missing"`+data,
					b.Impl+": not measured")
			}
			y += barHeight + barGap
		}
		y += groupGap - barGap
	}
	plotBottom := y - groupGap/2

	// grid and ticks under the bars, the reference line above them
	for t := 0.0; t <= top+step/2; t += step {
		body.line(xs(t), plotTop-groupGap/2, xs(t), plotBottom, ` stroke="#ddd"`)
		body.text(xs(t), plotBottom+14, captionSize, ` text-anchor="middle" fill="#444" class="tick"`,
			strconv.FormatFloat(t, 'f', -1, 64)+c.Unit)
	}
	body.line(x0, plotBottom, x1, plotBottom, ` stroke="#888"`)
	body.b.Write(bars.b.Bytes())
	body.line(xs(c.Ref), plotTop-groupGap/2-8, xs(c.Ref), plotBottom,
		fmt.Sprintf(` stroke="%s" stroke-width="2" stroke-dasharray="6 3" class="ref"`, colour(c.RefImpl)))
	body.text(xs(c.Ref), plotTop-groupGap/2-11, captionSize, ` text-anchor="middle" fill="#444"`, c.RefLabel)
	body.b.Write(labels.b.Bytes())

	y = plotBottom + 36
	for _, l := range c.Caption {
		body.text(margin, y, captionSize, ` fill="#666" class="caption"`, l)
		y += 15
	}
	height := math.Ceil(y - 15 + margin)

	var out svg
	out.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%s" viewBox="0 0 %d %s" font-family="sans-serif">`+"\n",
		width, num(height), width, num(height))
	out.printf("<title>%s</title>\n", esc(c.Title))
	out.rect(0, 0, width, height, ` fill="#fff"`)
	out.b.Write(body.b.Bytes())
	out.printf("</svg>\n")
	return out.b.Bytes()
}
