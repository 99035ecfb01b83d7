package uring

import "unsafe"

// The kernel ABI, from include/uapi/linux/io_uring.h. Only what zring uses
// is spelled out.

// Setup flags (io_uring_params.flags).
const (
	SetupClamp        = 1 << 4  // IORING_SETUP_CLAMP
	SetupSubmitAll    = 1 << 7  // IORING_SETUP_SUBMIT_ALL (5.18)
	SetupCoopTaskrun  = 1 << 8  // IORING_SETUP_COOP_TASKRUN (5.19)
	SetupTaskrunFlag  = 1 << 9  // IORING_SETUP_TASKRUN_FLAG (5.19)
	SetupSingleIssuer = 1 << 12 // IORING_SETUP_SINGLE_ISSUER (6.0)
	SetupDeferTaskrun = 1 << 13 // IORING_SETUP_DEFER_TASKRUN (6.1)
)

// Features reported by the kernel (io_uring_params.features).
const (
	FeatSingleMmap = 1 << 0 // IORING_FEAT_SINGLE_MMAP (5.4)
	FeatNoDrop     = 1 << 1 // IORING_FEAT_NODROP (5.5)
	FeatFastPoll   = 1 << 5 // IORING_FEAT_FAST_POLL (5.7)
	FeatExtArg     = 1 << 8 // IORING_FEAT_EXT_ARG (5.11)
)

// Opcodes.
const (
	OpNop        = 0
	OpPollAdd    = 6
	OpPollRemove = 7
	OpTimeout    = 11
	OpAccept     = 13
	OpCancel     = 14
	OpRead       = 22
	OpWrite      = 23
	OpSend       = 26
	OpRecv       = 27
	OpMsgRing    = 40
)

// Submission flags (SQE.Flags).
const (
	SQEIOLink         = 1 << 2 // IOSQE_IO_LINK
	SQEBufferSelect   = 1 << 5 // IOSQE_BUFFER_SELECT
	SQECQESkipSuccess = 1 << 6 // IOSQE_CQE_SKIP_SUCCESS
)

// Per-opcode flags.
const (
	PollAddMulti    = 1 << 0 // IORING_POLL_ADD_MULTI (5.13), in SQE.Len of OpPollAdd
	RecvMultishot   = 1 << 1 // IORING_RECV_MULTISHOT (6.0), in SQE.IoPrio of OpRecv
	AcceptMultishot = 1 << 0 // IORING_ACCEPT_MULTISHOT (5.19), in SQE.IoPrio of OpAccept
)

// Constants of the calls themselves.
const (
	cqeBufferShift   = 16         // IORING_CQE_BUFFER_SHIFT
	registerProbe    = 8          // IORING_REGISTER_PROBE
	probeOpSupported = 1 << 0     // IO_URING_OP_SUPPORTED
	probeOps         = 256        // entries in the probe buffer
	enterGetEvents   = 1 << 0     // IORING_ENTER_GETEVENTS
	enterExtArg      = 1 << 3     // IORING_ENTER_EXT_ARG
	offSQRing        = 0          // IORING_OFF_SQ_RING (FEAT_SINGLE_MMAP: the CQ ring too)
	offSQEs          = 0x10000000 // IORING_OFF_SQES
)

// Completion flags (CQE.Flags).
const (
	CQEFBuffer = 1 << 0 // IORING_CQE_F_BUFFER: the upper 16 bits name the buffer
	CQEFMore   = 1 << 1 // IORING_CQE_F_MORE: the multishot request stays armed
)

// SQE is struct io_uring_sqe (64 bytes). Union members are named after the
// use zring makes of them.
type SQE struct {
	Opcode      uint8
	Flags       uint8
	IoPrio      uint16 // also recv/accept multishot flags
	Fd          int32
	Off         uint64 // also addr2
	Addr        uint64
	Len         uint32
	OpFlags     uint32 // rw_flags, poll32_events, msg_flags, timeout_flags, ...
	UserData    uint64
	BufIndex    uint16 // buf_index or buf_group
	Personality uint16
	FileIndex   uint32 // splice_fd_in or file_index
	Addr3       uint64
	_           uint64
}

// CQE is struct io_uring_cqe (16 bytes, without CQE32).
type CQE struct {
	UserData uint64
	Res      int32
	Flags    uint32
}

// BufferID returns the provided buffer a completion used; valid only when
// Flags has CQEFBuffer.
func (c *CQE) BufferID() uint16 { return uint16(c.Flags >> cqeBufferShift) }

type sqringOffsets struct {
	Head, Tail, RingMask, RingEntries, Flags, Dropped, Array, Resv1 uint32
	UserAddr                                                        uint64
}

type cqringOffsets struct {
	Head, Tail, RingMask, RingEntries, Overflow, Cqes, Flags, Resv1 uint32
	UserAddr                                                        uint64
}

type params struct {
	SQEntries    uint32
	CQEntries    uint32
	Flags        uint32
	SQThreadCPU  uint32
	SQThreadIdle uint32
	Features     uint32
	WQFd         uint32
	Resv         [3]uint32
	SQOff        sqringOffsets
	CQOff        cqringOffsets
}

// getEventsArg is struct io_uring_getevents_arg, for IORING_ENTER_EXT_ARG.
type getEventsArg struct {
	Sigmask   uint64
	SigmaskSz uint32
	Pad       uint32
	Ts        uint64 // *kernelTimespec
}

// kernelTimespec is struct __kernel_timespec, which getEventsArg.Ts points
// to: 64-bit fields on every architecture, where unix.Timespec has 32-bit
// ones on 32-bit platforms (there the kernel read the nanoseconds into the
// seconds' upper half, and a 20 ms wait never ended).
type kernelTimespec struct {
	Sec  int64
	Nsec int64
}

type probeOp struct {
	Op    uint8
	Resv  uint8
	Flags uint16
	Resv2 uint32
}

type probe struct {
	LastOp uint8
	OpsLen uint8
	Resv   uint16
	Resv2  [3]uint32
	Ops    [probeOps]probeOp
}

// Compile-time size checks against the kernel's structs.
var (
	_ [64 - unsafe.Sizeof(SQE{})]byte
	_ [unsafe.Sizeof(SQE{}) - 64]byte
	_ [16 - unsafe.Sizeof(CQE{})]byte
	_ [120 - unsafe.Sizeof(params{})]byte
	_ [unsafe.Sizeof(params{}) - 120]byte
	_ [24 - unsafe.Sizeof(getEventsArg{})]byte
	_ [16 - unsafe.Sizeof(kernelTimespec{})]byte
	_ [unsafe.Sizeof(kernelTimespec{}) - 16]byte
)
