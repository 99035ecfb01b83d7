package zmq4

import "strconv"

// Plan 9 has no errno numbers; zring does not run there (NewContext
// fails), so these only let the package build.

func sysErrnoText(e Errno) string { return "errno " + strconv.FormatUint(uint64(e), 10) }

func sysErrnoIs(Errno, error) bool { return false }

func sysErrnoOf(error) (Errno, bool) { return 0, false }
