package pirate

import "errors"

// Sentinel errors; compare with errors.Is.
var (
	// ErrNoReply means a request got no reply within the policy's
	// timeout after every retry: the server seems to be offline.
	ErrNoReply = errors.New("pirate: no reply, server seems to be offline")
	// ErrClosed means the client, queue or worker was closed.
	ErrClosed = errors.New("pirate: closed")
	// ErrInvalid means an argument or a policy value is invalid.
	ErrInvalid = errors.New("pirate: invalid argument")
	// ErrNoRequest means Reply was called with no request to answer.
	ErrNoRequest = errors.New("pirate: no request to reply to")
)
