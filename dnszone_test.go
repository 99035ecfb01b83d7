//go:build linux

package zring_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/miekg/dns"
	"github.com/stretchr/testify/require"
)

// dnsZone is a real DNS server (miekg/dns) on a loopback UDP port,
// answering A queries from a table the test changes as it goes; every
// other name and type is answered with no records.
type dnsZone struct {
	addr    string
	mu      sync.Mutex
	records map[string][]net.IP // fully qualified name, lower case
	queries map[string]int
}

func startDNS(t *testing.T) *dnsZone {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	z := &dnsZone{addr: pc.LocalAddr().String(), records: map[string][]net.IP{}, queries: map[string]int{}}
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(z.serve)}
	started := make(chan struct{})
	srv.NotifyStartedFunc = func() { close(started) }
	go func() { _ = srv.ActivateAndServe() }()
	<-started
	t.Cleanup(func() { _ = srv.Shutdown() })
	return z
}

// set makes name resolve to ips (none: the name has no addresses).
func (z *dnsZone) set(name string, ips ...string) {
	var list []net.IP
	for _, s := range ips {
		list = append(list, net.ParseIP(s).To4())
	}
	z.mu.Lock()
	z.records[dns.Fqdn(strings.ToLower(name))] = list
	z.mu.Unlock()
}

// lookups is how many A queries name got.
func (z *dnsZone) lookups(name string) int {
	z.mu.Lock()
	defer z.mu.Unlock()
	return z.queries[dns.Fqdn(strings.ToLower(name))]
}

func (z *dnsZone) serve(w dns.ResponseWriter, req *dns.Msg) {
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

// resolver asks this server alone, through Go's own resolver.
func (z *dnsZone) resolver() *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, z.addr)
	}}
}
