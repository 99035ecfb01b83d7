package majordomo

import "errors"

// Sentinel errors; compare with errors.Is.
var (
	// ErrNoReply means a request got no reply within the policy's
	// timeout, after every retry: the broker or every worker of the
	// service seems to be gone.
	ErrNoReply = errors.New("majordomo: no reply, abandoning request")
	// ErrMalformed means a message broke MDP/0.1 or 0.2: too few frames, a
	// wrong header, an unknown command, a reply for another service.
	ErrMalformed = errors.New("majordomo: malformed message")
	// ErrClosed means the Broker, Worker or client was closed.
	ErrClosed = errors.New("majordomo: closed")
	// ErrNoRequest means Reply was called with no request to answer.
	ErrNoRequest = errors.New("majordomo: no request to reply to")
	// ErrInvalid means an argument or a policy value is invalid.
	ErrInvalid = errors.New("majordomo: invalid argument")
)
