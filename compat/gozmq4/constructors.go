//go:build linux

package zmq4

import "context"

// NewPush returns a new PUSH socket, initially neither bound nor
// connected. ctx is its life-line: when ctx ends, the socket closes.
func NewPush(ctx context.Context, opts ...Option) Socket { return newSocket(ctx, Push, opts...) }

// NewPull returns a new PULL socket (see NewPush for ctx).
func NewPull(ctx context.Context, opts ...Option) Socket { return newSocket(ctx, Pull, opts...) }

// NewReq returns a new REQ socket (see NewPush for ctx).
func NewReq(ctx context.Context, opts ...Option) Socket { return newSocket(ctx, Req, opts...) }

// NewRep returns a new REP socket (see NewPush for ctx).
func NewRep(ctx context.Context, opts ...Option) Socket { return newSocket(ctx, Rep, opts...) }

// NewDealer returns a new DEALER socket (see NewPush for ctx).
func NewDealer(ctx context.Context, opts ...Option) Socket { return newSocket(ctx, Dealer, opts...) }

// NewRouter returns a new ROUTER socket (see NewPush for ctx). Recv gives
// the sender's identity as the first frame; Send takes the recipient's
// there.
func NewRouter(ctx context.Context, opts ...Option) Socket { return newSocket(ctx, Router, opts...) }

// NewPub returns a new PUB socket (see NewPush for ctx).
func NewPub(ctx context.Context, opts ...Option) Socket { return newSocket(ctx, Pub, opts...) }

// NewSub returns a new SUB socket (see NewPush for ctx); it also
// implements Topics.
func NewSub(ctx context.Context, opts ...Option) Socket {
	return subSocket{newSocket(ctx, Sub, opts...)}
}

// NewXPub returns a new XPUB socket (see NewPush for ctx).
func NewXPub(ctx context.Context, opts ...Option) Socket { return newSocket(ctx, XPub, opts...) }

// NewXSub returns a new XSUB socket (see NewPush for ctx).
func NewXSub(ctx context.Context, opts ...Option) Socket { return newSocket(ctx, XSub, opts...) }

// NewPair returns a new PAIR socket (see NewPush for ctx).
func NewPair(ctx context.Context, opts ...Option) Socket { return newSocket(ctx, Pair, opts...) }
