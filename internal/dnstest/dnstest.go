//go:build linux

package dnstest

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/require"
)

// Zone is a real DNS server (miekg/dns) on a loopback UDP port,
// answering A queries from a table the test changes as it goes; a name
// not in the table is NXDOMAIN, other types of a known name have no
// records.
type Zone struct {
	addr    string
	mu      sync.Mutex
	records map[string][]net.IP // fully qualified name, lower case
	queries map[string]int
}

// Start serves a zone until the test ends.
func Start(t testing.TB) *Zone {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	z := &Zone{addr: pc.LocalAddr().String(), records: map[string][]net.IP{}, queries: map[string]int{}}
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(z.serve)}
	started := make(chan struct{})
	srv.NotifyStartedFunc = func() { close(started) }
	go func() { _ = srv.ActivateAndServe() }()
	<-started
	t.Cleanup(func() { _ = srv.Shutdown() })
	return z
}

// Set makes name resolve to ips (none: the name exists, with no
// addresses).
func (z *Zone) Set(name string, ips ...string) {
	var list []net.IP
	for _, s := range ips {
		list = append(list, net.ParseIP(s).To4())
	}
	z.mu.Lock()
	z.records[dns.Fqdn(strings.ToLower(name))] = list
	z.mu.Unlock()
}

// Delete removes name: it is NXDOMAIN from now on.
func (z *Zone) Delete(name string) {
	z.mu.Lock()
	delete(z.records, dns.Fqdn(strings.ToLower(name)))
	z.mu.Unlock()
}

// Lookups is how many A queries name got.
func (z *Zone) Lookups(name string) int {
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.queries[dns.Fqdn(strings.ToLower(name))]
}

func (z *Zone) serve(w dns.ResponseWriter, req *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(req)
	m.Authoritative = true
	z.mu.Lock()
	for _, q := range req.Question {
		name := strings.ToLower(q.Name)
		ips, known := z.records[name]
		if !known {
			m.Rcode = dns.RcodeNameError
			continue
		}
		if q.Qtype != dns.TypeA {
			continue
		}
		z.queries[name]++
		for _, ip := range ips {
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 0}, A: ip})
		}
	}
	z.mu.Unlock()
	_ = w.WriteMsg(m)
}

// Resolver asks this server alone, through Go's own resolver.
func (z *Zone) Resolver() *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, z.addr)
	}}
}

// Queried is the number of A queries of every name so far.
func (z *Zone) Queried() int {
	z.mu.Lock()
	defer z.mu.Unlock()
	n := 0
	for _, q := range z.queries {
		n += q
	}
	return n
}
