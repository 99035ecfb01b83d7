// Package socket builds zring's socket types from parts, as libzmq does:
// the load-balancer (lb.go), the fair-queue (fq.go), the fan-out
// (dist.go), subscription tries (trie.go, mtrie.go), the ROUTER's table of
// routing ids (router.go), and one thin Pattern per type (push.go,
// pull.go, pair.go, req.go, rep.go, dealer.go, router.go, xpub.go for PUB
// and XPUB, xsub.go for SUB and XSUB, stream.go).
//
// A Pattern decides where a message goes and where the next one comes
// from, over the pipes (internal/pipe) the socket attached; it knows
// nothing of connections, threads or the wire. The root package's Socket
// owns one Pattern and calls it with its mutex held. Applications use the
// root package zring; this package is its lower layer and its API may
// change.
package socket
