// Package cpuhint gives the two CPU hints the hot paths use where Go has no
// portable way to say them: fetch a cache line for writing ahead of use
// (PrefetchWrite), and pause inside a spin-wait (Pause).
//
// Both are hints with no effect on a program's meaning. On amd64 they are
// one instruction each in assembly (PREFETCHW and PAUSE); elsewhere they do
// nothing, and a spin-wait then polls without pausing.
package cpuhint
