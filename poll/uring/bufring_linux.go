package uring

import (
	"fmt"
	"os"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// BufRing is a provided-buffer ring (IORING_REGISTER_PBUF_RING, Linux
// 5.19): a group of equal buffers the kernel picks from for a receive with
// SQEBufferSelect, reporting the buffer's id in the completion
// (CQE.BufferID). The ring and the buffers are mmap'd, outside the Go heap,
// so the garbage collector neither moves nor scans nor reuses memory the
// kernel may write. Like its Ring, a BufRing belongs to one thread.
type BufRing struct {
	r       *Ring
	group   uint16
	size    int    // bytes per buffer
	mask    uint16 // entries - 1
	tail    uint16 // next entry to fill; published by Publish
	added   uint16 // entries filled since the last Publish
	entries []bufEntry
	ringMem []byte
	bufMem  []byte
}

// bufEntry is struct io_uring_buf (16 bytes). The ring's tail overlays
// entry 0's last two bytes (resv).
type bufEntry struct {
	Addr uint64
	Len  uint32
	Bid  uint16
	Resv uint16
}

type bufReg struct {
	RingAddr    uint64
	RingEntries uint32
	Bgid        uint16
	Pad         uint16
	Resv        [3]uint64
}

const (
	registerPbufRing   = 22 // IORING_REGISTER_PBUF_RING
	unregisterPbufRing = 23 // IORING_UNREGISTER_PBUF_RING
)

var (
	_ [16 - unsafe.Sizeof(bufEntry{})]byte
	_ [40 - unsafe.Sizeof(bufReg{})]byte
	_ [unsafe.Sizeof(bufReg{}) - 40]byte
)

// NewBufRing registers group with count buffers of size bytes each, all
// handed to the kernel. count must be a power of two up to 32768.
func (r *Ring) NewBufRing(group uint16, count, size int) (*BufRing, error) {
	if one := uint16(1); *(*byte)(unsafe.Pointer(&one)) != 1 {
		return nil, fmt.Errorf("%w: buffer rings need a little-endian CPU here (Publish)", ErrUnavailable)
	}
	if count < 1 || count > 1<<15 || count&(count-1) != 0 || size < 1 {
		return nil, fmt.Errorf("uring: buffer ring of %d × %d B: %w", count, size, unix.EINVAL)
	}
	b := &BufRing{r: r, group: group, size: size, mask: uint16(count - 1)}
	var err error
	if b.ringMem, err = anonMap(count * int(unsafe.Sizeof(bufEntry{}))); err != nil {
		return nil, err
	}
	if b.bufMem, err = anonMap(count * size); err != nil {
		unix.Munmap(b.ringMem)
		return nil, err
	}
	b.entries = unsafe.Slice((*bufEntry)(unsafe.Pointer(&b.ringMem[0])), count)
	reg := bufReg{RingAddr: uint64(uintptr(unsafe.Pointer(&b.ringMem[0]))), RingEntries: uint32(count), Bgid: group}
	_, _, errno := unix.Syscall6(unix.SYS_IO_URING_REGISTER, uintptr(r.fd), registerPbufRing, uintptr(unsafe.Pointer(&reg)), 1, 0, 0)
	if errno != 0 {
		b.unmap()
		return nil, os.NewSyscallError("io_uring_register pbuf ring", errno)
	}
	for id := range count {
		b.Provide(uint16(id))
	}
	b.Publish()
	return b, nil
}

// anonMap maps n zeroed bytes of private anonymous memory.
func anonMap(n int) ([]byte, error) {
	m, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return nil, os.NewSyscallError("mmap", err)
	}
	return m, nil
}

// Buffer returns buffer id's memory. After a completion that used it, the
// received bytes are Buffer(id)[:res]; they stay valid until Provide gives
// the buffer back.
func (b *BufRing) Buffer(id uint16) []byte {
	off := int(id) * b.size
	return b.bufMem[off : off+b.size : off+b.size]
}

// Provide queues buffer id for the kernel again; Publish makes the queued
// buffers visible.
func (b *BufRing) Provide(id uint16) {
	i := (b.tail + b.added) & b.mask
	e := &b.entries[i]
	if i != 0 {
		e.Addr, e.Len, e.Bid = uint64(uintptr(unsafe.Pointer(&b.Buffer(id)[0]))), uint32(b.size), id
		b.added++
		return
	}
	// Entry 0 shares its last word with the ring's tail, which the kernel
	// reads concurrently: write its id together with the current tail.
	e.Addr, e.Len = uint64(uintptr(unsafe.Pointer(&b.Buffer(id)[0]))), uint32(b.size)
	b.tailWord().Store(uint32(b.tail)<<16 | uint32(id))
	b.added++
}

// Publish hands every buffer queued by Provide to the kernel with one
// release store of the tail.
func (b *BufRing) Publish() {
	if b.added == 0 {
		return
	}
	b.tail += b.added
	b.added = 0
	// The tail is a 16-bit field in bytes 14–15 of entry 0 and Go has no
	// 16-bit atomic, so the store covers bytes 12–15: entry 0's id (low
	// half, little-endian) is rewritten with its current value. Release:
	// the entries above are written before the kernel sees the new tail.
	bid0 := b.entries[0].Bid
	b.tailWord().Store(uint32(b.tail)<<16 | uint32(bid0))
}

// tailWord is the 32-bit word holding entry 0's id and the ring's tail.
func (b *BufRing) tailWord() *atomic.Uint32 {
	return (*atomic.Uint32)(unsafe.Pointer(&b.ringMem[12]))
}

// Close unregisters the group and unmaps its memory. The caller makes sure
// no receive that selects from it is still in flight.
func (b *BufRing) Close() error {
	if b.ringMem == nil {
		return ErrClosed
	}
	var err error
	if b.r.fd >= 0 {
		reg := bufReg{Bgid: b.group}
		_, _, errno := unix.Syscall6(unix.SYS_IO_URING_REGISTER, uintptr(b.r.fd), unregisterPbufRing, uintptr(unsafe.Pointer(&reg)), 1, 0, 0)
		if errno != 0 {
			err = os.NewSyscallError("io_uring_register unregister pbuf ring", errno)
		}
	}
	b.unmap()
	return err
}

func (b *BufRing) unmap() {
	unix.Munmap(b.ringMem)
	unix.Munmap(b.bufMem)
	b.ringMem, b.bufMem, b.entries = nil, nil, nil
}
