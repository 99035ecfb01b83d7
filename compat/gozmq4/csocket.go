//go:build linux

package zmq4

import "context"

// Upstream's NewC... constructors (built with its czmq4 tag) make sockets
// backed by libzmq through goczmq. zring is wire-compatible with libzmq,
// so here they make the same sockets as NewPair, NewPub, ...; they take
// this package's Options, as goczmq's SockOptions have no counterpart
// (CWithID is the one upstream offers).

// NewCPair is NewPair.
func NewCPair(ctx context.Context, opts ...Option) Socket { return NewPair(ctx, opts...) }

// NewCPub is NewPub.
func NewCPub(ctx context.Context, opts ...Option) Socket { return NewPub(ctx, opts...) }

// NewCSub is NewSub.
func NewCSub(ctx context.Context, opts ...Option) Socket { return NewSub(ctx, opts...) }

// NewCReq is NewReq.
func NewCReq(ctx context.Context, opts ...Option) Socket { return NewReq(ctx, opts...) }

// NewCRep is NewRep.
func NewCRep(ctx context.Context, opts ...Option) Socket { return NewRep(ctx, opts...) }

// NewCDealer is NewDealer.
func NewCDealer(ctx context.Context, opts ...Option) Socket { return NewDealer(ctx, opts...) }

// NewCRouter is NewRouter.
func NewCRouter(ctx context.Context, opts ...Option) Socket { return NewRouter(ctx, opts...) }

// NewCPull is NewPull.
func NewCPull(ctx context.Context, opts ...Option) Socket { return NewPull(ctx, opts...) }

// NewCPush is NewPush.
func NewCPush(ctx context.Context, opts ...Option) Socket { return NewPush(ctx, opts...) }

// NewCXPub is NewXPub.
func NewCXPub(ctx context.Context, opts ...Option) Socket { return NewXPub(ctx, opts...) }

// NewCXSub is NewXSub.
func NewCXSub(ctx context.Context, opts ...Option) Socket { return NewXSub(ctx, opts...) }

// CWithID is WithID.
func CWithID(id SocketIdentity) Option { return WithID(id) }
