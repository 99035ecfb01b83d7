package zring

import (
	"github.com/zring/zring/engine"
	"github.com/zring/zring/internal/pipe"
)

// command is what I/O threads (and inproc peers) post to a socket's
// engine.Mailbox: an engine.Command about one pipe.
type command struct {
	kind engine.Command
	p    *pipe.Pipe
}
