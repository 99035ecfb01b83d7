// Package dnstest serves a DNS zone on loopback for tests: a real server
// (github.com/miekg/dns) whose records a test changes as it goes, and a
// net.Resolver that asks it alone. Test-only, like internal/testpeer.
package dnstest
