package perfutil

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
)

// The profiles a tool can write, each named by a flag as in go test:
// -cpuprofile and -trace record from StartProfile to StopProfile;
// -memprofile, -mutexprofile and -blockprofile are written by StopProfile,
// at the end of the run, with what was recorded since StartProfile (the
// allocations since the process started). Every file goes to
// go tool pprof but the trace, which goes to go tool trace.
//
// The mutex and block profiles record every event (fraction and rate 1,
// go test's defaults), which slows the tools: their figures are then
// not comparable with a run without them.

// profiles is what StartProfile started and StopProfile must finish.
type profiles struct {
	cpu, trace *os.File
	// mem, mutex, block: the end-of-run profiles to write (and, for
	// mutex and block, the recording rates StartProfile set, to reset).
	mem, mutex, block bool
}

// profileFlags adds the profile flags to fs, into cfg.
func profileFlags(fs *flag.FlagSet, cfg *Config) {
	fs.StringVar(&cfg.CPUProfile, "cpuprofile", "", "write a CPU profile to this file (view: go tool pprof -http=: FILE; the I/O threads' samples carry the labels zring=io, thread=N)")
	fs.StringVar(&cfg.MemProfile, "memprofile", "", "write an allocation profile to this file at the end of the run")
	fs.StringVar(&cfg.Trace, "trace", "", "write an execution trace to this file (view: go tool trace FILE)")
	fs.StringVar(&cfg.MutexProfile, "mutexprofile", "", "write a mutex contention profile to this file at the end of the run (records every event: slows the run)")
	fs.StringVar(&cfg.BlockProfile, "blockprofile", "", "write a goroutine blocking profile to this file at the end of the run (records every event: slows the run)")
}

// StartProfile starts the profiles the flags ask for: the CPU profile and
// the execution trace, and the recording of mutex contention and
// blocking. A file that cannot be created ends the tool.
func (c *Config) StartProfile() {
	p := &c.profiles
	if c.CPUProfile != "" {
		f := c.createProfile("cpuprofile", c.CPUProfile)
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			c.Fatalf("cpuprofile: %v", err)
		}
		p.cpu = f
	}
	if c.Trace != "" {
		f := c.createProfile("trace", c.Trace)
		if err := trace.Start(f); err != nil {
			f.Close()
			c.Fatalf("trace: %v", err)
		}
		p.trace = f
	}
	p.mem = c.MemProfile != ""
	if c.MutexProfile != "" {
		runtime.SetMutexProfileFraction(1)
		p.mutex = true
	}
	if c.BlockProfile != "" {
		runtime.SetBlockProfileRate(1)
		p.block = true
	}
	// Check now that the end-of-run files can be written, rather than
	// after a long run.
	for _, end := range []struct{ flag, name string }{
		{"memprofile", c.MemProfile}, {"mutexprofile", c.MutexProfile}, {"blockprofile", c.BlockProfile},
	} {
		if end.name != "" {
			if err := c.createProfile(end.flag, end.name).Close(); err != nil {
				c.Fatalf("%s: %v", end.flag, err)
			}
		}
	}
}

// createProfile creates the file of a profile flag, or ends the tool.
func (c *Config) createProfile(flagName, name string) *os.File {
	f, err := os.Create(name)
	if err != nil {
		c.Fatalf("%s: %v", flagName, err)
	}
	return f
}

// StopProfile stops the CPU profile and the trace and writes the
// end-of-run profiles. It reports errors on stderr and carries on, so that
// one bad file does not lose the others; a second call does nothing.
func (c *Config) StopProfile() {
	p := &c.profiles
	if p.cpu != nil {
		pprof.StopCPUProfile()
		c.reportProfile("cpuprofile", p.cpu.Close())
		p.cpu = nil
	}
	if p.trace != nil {
		trace.Stop()
		c.reportProfile("trace", p.trace.Close())
		p.trace = nil
	}
	if p.mem {
		runtime.GC() // count what the last cycle freed
		c.reportProfile("memprofile", writeProfile("allocs", c.MemProfile))
		p.mem = false
	}
	if p.mutex {
		c.reportProfile("mutexprofile", writeProfile("mutex", c.MutexProfile))
		runtime.SetMutexProfileFraction(0)
		p.mutex = false
	}
	if p.block {
		c.reportProfile("blockprofile", writeProfile("block", c.BlockProfile))
		runtime.SetBlockProfileRate(0)
		p.block = false
	}
}

// writeProfile writes the named runtime profile to the file name.
func writeProfile(profile, name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	return errors.Join(pprof.Lookup(profile).WriteTo(f, 0), f.Close())
}

// reportProfile prints a profile's error, if any, on stderr.
func (c *Config) reportProfile(flagName string, err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %s: %v\n", c.Tool.Name, flagName, err)
	}
}
