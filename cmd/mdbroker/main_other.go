//go:build !linux

package main

import (
	"fmt"
	"os"
)

// Off Linux the majordomo package is empty, as zring runs on Linux only:
// the command still builds, and says so.
func main() {
	fmt.Fprintln(os.Stderr, "mdbroker: runs on Linux only")
	os.Exit(1)
}
