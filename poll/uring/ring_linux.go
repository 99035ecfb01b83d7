package uring

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Sentinel errors. Compare with errors.Is.
var (
	// ErrUnavailable reports that this process cannot use io_uring: the
	// kernel lacks it, it is disabled, a seccomp filter blocks it, or a
	// feature zring needs is missing. The wrapped text names the cause.
	ErrUnavailable = errors.New("uring: io_uring unavailable")
	// ErrClosed reports a call on a closed Ring.
	ErrClosed = errors.New("uring: ring closed")
)

// requiredFeatures are the kernel features zring's use of io_uring relies
// on: one mmap for both rings, no dropped completions, and timed waits.
const requiredFeatures = FeatSingleMmap | FeatNoDrop | FeatExtArg

// setupTries are the setup flag sets New tries, best first; a kernel that
// does not know a flag rejects the set with EINVAL.
var setupTries = []uint32{
	SetupSingleIssuer | SetupDeferTaskrun | SetupSubmitAll,
	SetupSingleIssuer | SetupCoopTaskrun | SetupTaskrunFlag | SetupSubmitAll,
	SetupCoopTaskrun | SetupTaskrunFlag,
	0,
}

// Ring is one io_uring instance. See the package documentation for the
// threading rule: only the thread that created it may use it.
type Ring struct {
	fd       int
	flags    uint32 // setup flags in effect
	features uint32
	mem      []byte // the SQ and CQ rings (one mapping, FeatSingleMmap)
	sqeMem   []byte // the SQE array

	sqHead  *atomic.Uint32 // written by the kernel
	sqTail  *atomic.Uint32 // written here, read by the kernel
	sqMask  uint32
	sqes    []SQE
	sqeTail uint32 // next SQE to hand out
	sqeHead uint32 // first SQE not yet published

	cqHead *atomic.Uint32 // written here
	cqTail *atomic.Uint32 // written by the kernel
	cqMask uint32
	cqes   []CQE
	head   uint32 // local copy of cqHead

	supported [probeOps]bool
}

// setup is io_uring_setup(2); tests replace it to simulate a kernel that
// refuses.
var setup = func(entries uint32, p *params) (int, error) {
	fd, _, errno := unix.Syscall(unix.SYS_IO_URING_SETUP, uintptr(entries), uintptr(unsafe.Pointer(p)), 0)
	if errno != 0 {
		return -1, errno
	}
	return int(fd), nil
}

// New creates a ring with at least entries submission slots (rounded up to
// a power of two by the kernel) and twice as many completion slots. It
// tries the best setup flags first and returns ErrUnavailable, naming the
// cause, when io_uring cannot be used here.
func New(entries uint32) (*Ring, error) {
	var p params
	var fd int
	var err error
	for _, flags := range setupTries {
		p = params{Flags: flags | SetupClamp}
		fd, err = setup(entries, &p)
		if !errors.Is(err, unix.EINVAL) {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrUnavailable, explain(err))
	}
	if missing := requiredFeatures &^ p.Features; missing != 0 {
		unix.Close(fd)
		return nil, fmt.Errorf("%w: kernel lacks features %#x (needs SINGLE_MMAP, NODROP and EXT_ARG: Linux 5.11+)", ErrUnavailable, missing)
	}
	r := &Ring{fd: fd, flags: p.Flags, features: p.Features}
	if err := r.mmap(&p); err != nil {
		r.Close()
		return nil, err
	}
	if err := r.probe(); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

// explain turns a setup failure into the reason a user can act on.
func explain(err error) string {
	switch {
	case errors.Is(err, unix.ENOSYS):
		return "io_uring_setup: not implemented (kernel without io_uring, or a seccomp filter)"
	case errors.Is(err, unix.EPERM):
		if b, rerr := os.ReadFile("/proc/sys/kernel/io_uring_disabled"); rerr == nil {
			switch strings.TrimSpace(string(b)) {
			case "2":
				return "io_uring_setup: disabled by sysctl kernel.io_uring_disabled=2"
			case "1":
				return "io_uring_setup: kernel.io_uring_disabled=1 and this process is not in kernel.io_uring_group"
			}
		}
		return "io_uring_setup: operation not permitted (a seccomp filter, such as Docker's default profile)"
	case errors.Is(err, unix.ENOMEM):
		return "io_uring_setup: out of memory or over RLIMIT_MEMLOCK"
	}
	return "io_uring_setup: " + err.Error()
}

// mmap maps the rings and points the Ring's fields into them.
func (r *Ring) mmap(p *params) error {
	sqSize := p.SQOff.Array + p.SQEntries*4
	cqSize := p.CQOff.Cqes + p.CQEntries*uint32(unsafe.Sizeof(CQE{}))
	size := max(sqSize, cqSize)
	mem, err := unix.Mmap(r.fd, offSQRing, int(size), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_POPULATE)
	if err != nil {
		return os.NewSyscallError("mmap io_uring rings", err)
	}
	r.mem = mem
	sqeBytes := int(p.SQEntries) * int(unsafe.Sizeof(SQE{}))
	sqeMem, err := unix.Mmap(r.fd, offSQEs, sqeBytes, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_POPULATE)
	if err != nil {
		return os.NewSyscallError("mmap io_uring sqes", err)
	}
	r.sqeMem = sqeMem
	r.sqHead = r.u32(p.SQOff.Head)
	r.sqTail = r.u32(p.SQOff.Tail)
	r.sqMask = *(*uint32)(unsafe.Pointer(&mem[p.SQOff.RingMask]))
	r.sqes = unsafe.Slice((*SQE)(unsafe.Pointer(&sqeMem[0])), p.SQEntries)
	// SQE i always sits in array slot i, so the indirection array is
	// filled once here and never written again.
	array := unsafe.Slice((*uint32)(unsafe.Pointer(&mem[p.SQOff.Array])), p.SQEntries)
	for i := range array {
		array[i] = uint32(i)
	}
	r.cqHead = r.u32(p.CQOff.Head)
	r.cqTail = r.u32(p.CQOff.Tail)
	r.cqMask = *(*uint32)(unsafe.Pointer(&mem[p.CQOff.RingMask]))
	r.cqes = unsafe.Slice((*CQE)(unsafe.Pointer(&mem[p.CQOff.Cqes])), p.CQEntries)
	r.head = r.cqHead.Load()
	return nil
}

// u32 returns the ring word at byte offset off of the rings' mapping.
func (r *Ring) u32(off uint32) *atomic.Uint32 {
	return (*atomic.Uint32)(unsafe.Pointer(&r.mem[off]))
}

// probe records which opcodes the kernel supports.
func (r *Ring) probe() error {
	var pr probe
	_, _, errno := unix.Syscall6(unix.SYS_IO_URING_REGISTER, uintptr(r.fd), registerProbe, uintptr(unsafe.Pointer(&pr)), probeOps, 0, 0)
	if errno != 0 {
		return fmt.Errorf("%w: register probe: %v", ErrUnavailable, errno)
	}
	for i := 0; i < int(pr.OpsLen) && i < probeOps; i++ {
		if op := pr.Ops[i]; op.Flags&probeOpSupported != 0 {
			r.supported[op.Op] = true
		}
	}
	return nil
}

// Supports reports whether the kernel implements opcode op.
func (r *Ring) Supports(op uint8) bool { return r.supported[op] }

// SetupFlags returns the setup flags the ring was created with.
func (r *Ring) SetupFlags() uint32 { return r.flags }

// Features returns the kernel's IORING_FEAT_* bits.
func (r *Ring) Features() uint32 { return r.features }

// FD returns the ring's file descriptor.
func (r *Ring) FD() int { return r.fd }

// SQE returns a zeroed submission slot to fill in, or nil when every slot
// is taken by SQEs not yet consumed by the kernel (call Submit first) or
// the ring is closed. The
// SQE is published by the next Submit or Wait.
func (r *Ring) SQE() *SQE {
	if r.fd < 0 {
		return nil
	}
	// Acquire: the kernel has finished reading the slots below its head.
	if r.sqeTail-r.sqHead.Load() >= uint32(len(r.sqes)) {
		return nil
	}
	sqe := &r.sqes[r.sqeTail&r.sqMask]
	*sqe = SQE{}
	r.sqeTail++
	return sqe
}

// Pending returns how many SQEs are filled in but not yet submitted.
func (r *Ring) Pending() uint32 { return r.sqeTail - r.sqeHead }

// publish makes every filled SQE visible to the kernel and returns how many
// it published.
func (r *Ring) publish() uint32 {
	n := r.sqeTail - r.sqeHead
	if n > 0 {
		// Release: the SQE contents are written before the kernel sees
		// the new tail.
		r.sqTail.Store(r.sqeTail)
		r.sqeHead = r.sqeTail
	}
	return n
}

// Submit hands the filled SQEs to the kernel without waiting, and runs any
// completion work the kernel deferred to this thread (DEFER_TASKRUN). It
// returns how many SQEs the kernel consumed.
func (r *Ring) Submit() (int, error) {
	return r.enter(r.publish(), 0, enterGetEvents, nil)
}

// Wait submits the filled SQEs and waits until at least one completion is
// ready or timeout passes (timeout < 0 waits forever, 0 does not wait). A
// timeout or an interrupted wait is not an error: the caller just finds no
// completions.
func (r *Ring) Wait(timeout time.Duration) error {
	n := r.publish()
	if timeout == 0 || r.Ready() > 0 {
		_, err := r.enter(n, 0, enterGetEvents, nil)
		return err
	}
	var ts *kernelTimespec
	if timeout > 0 {
		t := kernelTimespec{Sec: int64(timeout / time.Second), Nsec: int64(timeout % time.Second)}
		ts = &t
	}
	_, err := r.enter(n, 1, enterGetEvents, ts)
	return err
}

// enter is io_uring_enter(2). A blocking call (minComplete > 0) goes
// through Syscall6 so the runtime can hand this thread's P to other
// goroutines while it sleeps. EINTR and ETIME report 0 completions.
func (r *Ring) enter(toSubmit, minComplete, flags uint32, ts *kernelTimespec) (int, error) {
	if r.fd < 0 {
		return 0, ErrClosed
	}
	arg := getEventsArg{SigmaskSz: 8}
	if ts != nil {
		arg.Ts = uint64(uintptr(unsafe.Pointer(ts)))
	}
	n, _, errno := unix.Syscall6(unix.SYS_IO_URING_ENTER, uintptr(r.fd), uintptr(toSubmit), uintptr(minComplete),
		uintptr(flags|enterExtArg), uintptr(unsafe.Pointer(&arg)), unsafe.Sizeof(arg))
	runtime.KeepAlive(ts) // arg holds it as an integer the GC does not see
	switch errno {
	case 0:
		return int(n), nil
	case unix.EINTR, unix.ETIME, unix.EAGAIN, unix.EBUSY:
		// Interrupted (the runtime's SIGURG), timed out, or completions
		// must be reaped before more can be submitted: the caller reaps
		// and calls again.
		return 0, nil
	}
	return 0, os.NewSyscallError("io_uring_enter", errno)
}

// Ready returns how many completions are waiting to be read.
func (r *Ring) Ready() uint32 {
	if r.fd < 0 {
		return 0
	}
	// Acquire: the CQE contents below the kernel's tail are written.
	return r.cqTail.Load() - r.head
}

// CQE returns the k-th waiting completion, k < Ready(). It stays valid
// until Advance passes it.
func (r *Ring) CQE(k uint32) *CQE { return &r.cqes[(r.head+k)&r.cqMask] }

// Advance consumes n completions, handing their slots back to the kernel.
// It does nothing on a closed ring.
func (r *Ring) Advance(n uint32) {
	if r.fd < 0 {
		return
	}
	r.head += n
	// Release: the CQEs were read before the kernel may overwrite them.
	r.cqHead.Store(r.head)
}

// Close unmaps the rings and closes the ring's descriptor; every request
// still in flight is cancelled by the kernel. Further calls fail with
// ErrClosed.
func (r *Ring) Close() error {
	if r.fd < 0 {
		return ErrClosed
	}
	if r.sqeMem != nil {
		unix.Munmap(r.sqeMem)
		r.sqeMem, r.sqes = nil, nil
	}
	if r.mem != nil {
		unix.Munmap(r.mem)
		r.mem, r.cqes = nil, nil
	}
	err := unix.Close(r.fd)
	r.fd = -1
	return err
}
