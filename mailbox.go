package zring

import "github.com/zring/zring/internal/pipe"

// cmdKind is a command from an I/O thread to a socket.
type cmdKind uint8

const (
	cmdAttach        cmdKind = iota // a new peer's pipe is ready
	cmdDetach                       // the peer's session ended
	cmdActivateRead                 // the pipe's inbound ring got data after the socket slept on it
	cmdActivateWrite                // the pipe's outbound ring got room after the socket parked on it
	cmdHiccup                       // the pipe's connection was replaced (reconnect)
)

// command is what I/O threads post to a socket's engine.Mailbox.
type command struct {
	kind cmdKind
	p    *pipe.Pipe
}
