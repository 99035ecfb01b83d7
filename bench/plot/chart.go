package main

import (
	"fmt"
	"strings"
)

// A Chart is one grouped horizontal bar chart: a group per table row, a
// bar per implementation, and a reference line (the baseline, or the
// floor) across all groups.
type Chart struct {
	Kind     string   // file suffix: thr, lat, floor
	Title    string   // first line, bold
	Subtitle string   // how a bar is computed
	Caption  []string // date, machine, commit
	Impls    []string // the bars' implementations, legend order
	Groups   []Group
	Ref      float64 // where the reference line is drawn
	RefLabel string  // its legend entry, e.g. "libzmq = 1×"
	RefImpl  string  // whose colour it takes
	Unit     string  // "×" or "%", after each value
}

// A Group is one table row's bars, in the order of Chart.Impls.
type Group struct {
	Label string
	Bars  []Bar
}

// A Bar is one implementation's value in a row; OK is false if the row
// lacks a figure it needs ("-" in the report).
type Bar struct {
	Impl  string
	Value float64
	OK    bool
}

// Charts builds the charts of a report: throughput relative to the
// baseline, latency speed-up over it, and, if the report has %floor
// columns, each implementation's share of the raw-TCP floor. notes say
// what was assumed or left out, for stderr.
func Charts(rep *Report, baseline string) (charts []*Chart, notes []string) {
	base, fellBack := baseline, false
	if !contains(rep.Impls, base) {
		base, fellBack = rep.Impls[0], true
		notes = append(notes, fmt.Sprintf("%s: no %s column; the baseline is the first implementation column, %s", rep.Name, baseline, base))
	}
	var others []string
	for _, i := range rep.Impls {
		if i != base {
			others = append(others, i)
		}
	}
	basis := base
	if fellBack {
		basis = fmt.Sprintf("%s (no %s in the report: first column)", base, baseline)
	}
	caption := rep.caption()
	runs := ""
	if rep.Runs != "" {
		runs = "; " + rep.Runs
	}

	thr := &Chart{
		Kind:     "thr",
		Title:    "Throughput relative to " + basis + ", higher is better",
		Subtitle: fmt.Sprintf("bar = implementation's median ÷ %s's median in the same row%s", base, runs),
		Ref:      1, RefLabel: base + " = 1×", RefImpl: base, Unit: "×",
	}
	lat := &Chart{
		Kind:     "lat",
		Title:    "Latency speed-up over " + basis + ", higher is better",
		Subtitle: fmt.Sprintf("bar = %s's median latency ÷ implementation's (2× = half the latency)%s", base, runs),
		Ref:      1, RefLabel: base + " = 1×", RefImpl: base, Unit: "×",
	}
	for _, r := range rep.Rows {
		c := thr
		switch {
		case r.IsThr():
		case r.IsLat():
			c = lat
		default:
			notes = append(notes, fmt.Sprintf("%s: row %q is neither throughput (…thr) nor latency (…lat); left out", rep.Name, r.Label()))
			continue
		}
		g := Group{Label: r.Label()}
		b, bok := r.Median[base]
		for _, i := range others {
			v, ok := r.Median[i]
			bar := Bar{Impl: i}
			switch {
			case !ok || !bok:
			case c == thr && b > 0:
				bar.Value, bar.OK = v/b, true
			case c == lat && v > 0:
				bar.Value, bar.OK = b/v, true
			}
			g.Bars = append(g.Bars, bar)
		}
		c.Groups = append(c.Groups, g)
	}
	for _, c := range []*Chart{thr, lat} {
		c.Impls, c.Caption = others, caption
		switch {
		case len(c.Groups) == 0:
		case len(others) == 0:
			notes = append(notes, fmt.Sprintf("%s: only %s measured; no %s chart", rep.Name, base, c.Kind))
		default:
			charts = append(charts, c)
		}
	}

	if len(rep.Floors) > 0 {
		fl := &Chart{
			Kind:     "floor",
			Title:    "Share of the raw-TCP floor, higher is better",
			Subtitle: "bar = the report's impl%floor column; 100% = raw TCP" + runs,
			Caption:  caption,
			Impls:    rep.Floors,
			Ref:      100, RefLabel: "raw TCP = 100%", RefImpl: "rawtcp", Unit: "%",
		}
		for _, r := range rep.Rows {
			g := Group{Label: r.Label()}
			seen := false
			for _, i := range rep.Floors {
				v, ok := r.Floor[i]
				g.Bars = append(g.Bars, Bar{Impl: i, Value: v, OK: ok})
				seen = seen || ok
			}
			if seen {
				fl.Groups = append(fl.Groups, g)
			}
		}
		if len(fl.Groups) > 0 {
			charts = append(charts, fl)
		}
	}
	return charts, notes
}

// caption is the charts' footer: commit, date and machine from the facts.
func (rep *Report) caption() []string {
	var parts []string
	if rep.Commit != "" {
		parts = append(parts, "zring "+rep.Commit)
	}
	if rep.Date != "" {
		parts = append(parts, rep.Date)
	}
	if rep.Machine != "" {
		parts = append(parts, rep.Machine)
	}
	if len(parts) == 0 {
		return nil
	}
	// one line if it fits the chart's width, else one fact a line
	if line := strings.Join(parts, " · "); textWidth(line, captionSize) <= width-2*margin {
		return []string{line}
	}
	return parts
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
