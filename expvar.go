package zring

import "encoding/json"

// StatsVar is a socket's Stats as an expvar.Var (its String is the JSON
// of Stats), for the standard library's /debug/vars page:
//
//	expvar.Publish("zring.ingest", sock.Expvar())
//
// zring itself does not import expvar, which would register its handler
// on http.DefaultServeMux in every program that imports zring.
type StatsVar struct{ s *Socket }

// Expvar returns the socket's StatsVar. Each read of the page calls Stats
// once (the socket's mutex for a moment); it stays valid after Close and
// shows the final counts.
func (s *Socket) Expvar() StatsVar { return StatsVar{s} }

// String is the JSON of the socket's Stats now.
func (v StatsVar) String() string {
	b, err := json.Marshal(v.s.Stats())
	if err != nil {
		return "{}" // Stats holds only numbers: cannot happen
	}
	return string(b)
}
