//go:build !unix

package zring

import (
	"errors"
	"fmt"
)

// pollSet has no poll(2) here: zring runs on Linux only, for now, and no
// Context (hence no socket to poll) can be made elsewhere.
type pollSet struct{ n int }

func (s *pollSet) reset(int)              { s.n = 1 }
func (s *pollSet) add(int, PollEvents)    { s.n++ }
func (s *pollSet) len() int               { return s.n }
func (s *pollSet) revents(int) PollEvents { return 0 }

func (s *pollSet) poll(int) error {
	return fmt.Errorf("zring: poll: %w", errors.ErrUnsupported)
}
