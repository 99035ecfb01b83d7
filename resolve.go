package zring

import "net"

// WithResolver looks up the host names of this socket's tcp://, ws:// and
// wss:// connects with r instead of net.DefaultResolver: a resolver of a
// cluster's DNS, or a test's. A connect to a host name looks it up when
// Connect is called and again before every reconnect, so a peer that
// moved is found at its new address. nil restores
// the default. It applies to later connects.
func WithResolver(r *net.Resolver) Option {
	return func(o *options) error {
		o.resolver = r
		return nil
	}
}
