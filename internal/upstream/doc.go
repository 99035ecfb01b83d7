// Package upstream runs another Go library's own programs and tests
// against a zring adapter (compat/pebbe, compat/gozmq4), for tests only.
//
// It takes a pinned version of the library through the Go module proxy
// (go mod download, as any dependency arrives), changes nothing in the
// chosen files but the one import path, and builds them inside this
// module, so that the adapter is what they link. Nothing of the upstream
// code is kept in this repository.
package upstream
