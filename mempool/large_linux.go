package mempool

import (
	"math"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mapBytes maps n bytes (a multiple of the page size) of private, zeroed
// memory. Pages cost memory only once written.
func mapBytes(n int) ([]byte, error) {
	p, err := unix.MmapPtr(-1, 0, nil, uintptr(n), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return nil, err
	}
	return unsafe.Slice((*byte)(p), n), nil
}

// remapBytes resizes the mapping b to n bytes; the kernel moves its pages
// if it cannot extend it in place, so nothing is copied.
func remapBytes(b []byte, n int) ([]byte, error) {
	p, err := unix.MremapPtr(unsafe.Pointer(unsafe.SliceData(b)), uintptr(len(b)), nil, uintptr(n), unix.MREMAP_MAYMOVE)
	if err != nil {
		return nil, err
	}
	return unsafe.Slice((*byte)(p), n), nil
}

// unmapBytes unmaps b, which mapBytes or remapBytes returned whole.
func unmapBytes(b []byte) {
	// Unmapping a mapping we own cannot fail but for a bad argument.
	_ = unix.MunmapPtr(unsafe.Pointer(unsafe.SliceData(b)), uintptr(len(b)))
}

// largeLimit is the machine's RAM plus swap, read once.
var largeLimit = sync.OnceValue(func() int {
	var si unix.Sysinfo_t
	if err := unix.Sysinfo(&si); err != nil {
		return math.MaxInt
	}
	unit := max(uint64(si.Unit), 1)
	total := (uint64(si.Totalram) + uint64(si.Totalswap)) * unit
	return int(min(total, math.MaxInt))
})
