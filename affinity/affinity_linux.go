package affinity

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"

	"golang.org/x/sys/unix"
)

// Pin pins the calling OS thread to cpu with sched_setaffinity.
//
// THE CALLER MUST HAVE CALLED runtime.LockOSThread AND MUST NEVER CALL
// runtime.UnlockOSThread AFTERWARDS. Without the lock the goroutine may
// migrate and Pin narrows some random runtime thread; after an unlock the
// pinned thread returns to the scheduler's pool with a one-CPU mask and
// silently confines unrelated goroutines. Let the goroutine exit while still
// locked: the runtime then destroys the thread.
//
// Pin returns ErrInvalidCPU if cpu is not in Allowed().
func Pin(cpu int) error {
	allowed, err := Allowed()
	if err != nil {
		return err
	}
	if _, found := slices.BinarySearch(allowed, cpu); !found {
		return fmt.Errorf("%w: %d", ErrInvalidCPU, cpu)
	}
	set := unix.NewCPUSet(cpu + 1)
	set.Set(cpu)
	if err := unix.SchedSetaffinityDynamic(0, set); err != nil {
		return os.NewSyscallError("sched_setaffinity", err)
	}
	return nil
}

// maxMaskCPUs bounds the mask size threadMask will try; Linux's NR_CPUS
// limit is 8192 today.
const maxMaskCPUs = 1 << 16

// Allowed returns the CPUs in the process's affinity mask, in ascending
// order; it respects taskset and cgroup cpusets.
//
// Linux keeps a mask per thread, and Pin narrows some of them (possibly the
// main thread's: a locked goroutine may be running on it). The process mask
// is therefore computed as the union of the masks of all threads listed in
// /proc/self/task; runtime threads such as sysmon are never pinned, so the
// union is the mask the process started with, as updated by cgroups. Without
// /proc, the calling thread's mask is used. Allowed makes one system call
// per thread and is meant for startup, not hot paths.
func Allowed() ([]int, error) {
	tids, err := threadIDs()
	if err != nil {
		tids = []int{0}
	}
	var union unix.CPUSetDynamic
	for _, tid := range tids {
		set, err := threadMask(tid)
		if errors.Is(err, unix.ESRCH) {
			continue // the thread exited after the directory was read
		}
		if err != nil {
			return nil, err
		}
		union = orInto(union, set)
	}
	if union.Count() == 0 {
		set, err := threadMask(0)
		if err != nil {
			return nil, err
		}
		union = set
	}
	return members(union), nil
}

// threadIDs lists the process's thread IDs from /proc/self/task.
func threadIDs() ([]int, error) {
	entries, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return nil, err
	}
	tids := make([]int, 0, len(entries))
	for _, e := range entries {
		if tid, err := strconv.Atoi(e.Name()); err == nil {
			tids = append(tids, tid)
		}
	}
	return tids, nil
}

// threadMask returns the affinity mask of thread tid (0: the caller),
// growing the buffer while the kernel's mask is wider (EINVAL).
func threadMask(tid int) (unix.CPUSetDynamic, error) {
	for size := 1024; ; size *= 2 {
		set := unix.NewCPUSet(size)
		err := unix.SchedGetaffinityDynamic(tid, set)
		if err == nil {
			return set, nil
		}
		if err != unix.EINVAL || size >= maxMaskCPUs {
			return nil, os.NewSyscallError("sched_getaffinity", err)
		}
	}
}

// orInto adds the CPUs of src to dst, growing dst as needed.
func orInto(dst, src unix.CPUSetDynamic) unix.CPUSetDynamic {
	for i := range min(len(dst), len(src)) {
		dst[i] |= src[i]
	}
	if len(src) > len(dst) {
		dst = append(dst, src[len(dst):]...)
	}
	return dst
}

// members lists the CPUs in set in ascending order.
func members(set unix.CPUSetDynamic) []int {
	cpus := make([]int, 0, set.Count())
	for cpu := 0; len(cpus) < cap(cpus); cpu++ {
		if set.IsSet(cpu) {
			cpus = append(cpus, cpu)
		}
	}
	return cpus
}
