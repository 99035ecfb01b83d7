package zerr

import "syscall"

// errnoHostUnreachable stands in for EHOSTUNREACH, which Plan 9 lacks.
var errnoHostUnreachable error = syscall.ErrorString("host unreachable")
