// Package zerr holds zring's sentinel errors, so that every layer (the
// root package, the socket patterns, the engine's connections) returns the
// same values. Applications match them through the root package's
// re-exports (zring.ErrAgain, ...), which document each one.
package zerr
