// Package zringprom exports zring sockets' statistics (zring.Stats) to
// Prometheus. It is a module of its own, so that zring itself keeps its
// few dependencies: only programs that import this package depend on
// github.com/prometheus/client_golang.
//
//	c := zringprom.New()
//	c.Add("ingest", pull)
//	prometheus.MustRegister(c)
//
// Each scrape reads every added socket's Stats once. Counters end in
// _total, durations are in seconds, and each socket is a "socket" label.
package zringprom
