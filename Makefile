# zring: a pure-Go ZeroMQ. Run `make` for the list of targets.

GO       ?= go
# Fuzzing: every target of every package, each for FUZZTIME. Minimizing is
# capped by a count: Go's default (60s per new input) spent whole runs
# minimizing, and the socket targets, whose coverage varies with the I/O
# threads' timing, find many new inputs. FUZZFLAGS adds flags (such as
# -parallel=1 on a shared machine).
FUZZTIME         ?= 5m
FUZZMINIMIZETIME ?= 100x
FUZZFLAGS        ?=
FUZZ_ZMTP        := FuzzGreeting FuzzDecoder FuzzReady FuzzPlain FuzzCurve FuzzZ85 FuzzZAPReply FuzzGroup FuzzWSHeader FuzzWSRequest
FUZZ_SOCKET      := FuzzBind FuzzConnect FuzzEndpoint FuzzSockOpt FuzzCertificate
FUZZ_ENGINE      := FuzzDgramAddr FuzzWSInbound FuzzWSNativeFill
FUZZ             := $(addprefix ./zmtp:,$(FUZZ_ZMTP)) $(addprefix ./engine:,$(FUZZ_ENGINE)) $(addprefix .:,$(FUZZ_SOCKET))

# Go may be installed without being on PATH (CI: /usr/local/go).
export PATH := $(PATH):/usr/local/go/bin

# The oldest Go zring supports (README): go.mod's go directive. The
# compiler holds the code to that language version (no new(expr) under
# go1.25) and go vet's stdversion check holds it to that version's
# standard library, so the go vet of make test and make lint proves zring
# builds with it; go-floor fails if a go get raised the directive (as a
# dependency that needs a newer Go does).
GO_FLOOR ?= 1.25.0
STATICCHECK_VERSION ?= v0.8.2

.DEFAULT_GOAL := help

help:
	@echo 'usage: make <target>'
	@echo
	@echo '  demo    run the demo, then a quick zring vs libzmq line (64 B TCP)'
	@echo '  test    gofmt check, go vet, race tests, allocation tests, libzmq interop; on each poller (POLLERS); then fuzz-ci'
	@echo '  bench   Go benchmarks (go test -bench)'
	@echo '  perf    every implementation and row side by side in one report (bench/run full; RUNS, COUNT, ...)'
	@echo '  flame   profile one perf pair (FLAME=thr, FLAME_SIZE=64) and draw SVG flame graphs into FLAME_DIR (flame/)'
	@echo '  fuzz    every fuzz target (./zmtp, ./engine and the root package) for FUZZTIME each (default 5m)'
	@echo '  fuzz-ci every fuzz target for 15s (make test runs it once)'
	@echo '  cross   build every package for every GOOS/GOARCH (make test runs it)'
	@echo '  lint    gofmt check, the go directive, go vet, staticcheck (installed if missing)'
	@echo '  deps    install the missing Debian packages (libzmq3-dev, gcc, ...)'
	@echo '  tools   build the perf tools into bench/bin/'
	@echo '  peers   build libzmq 4.3.5 with drafts into .peers/ (the draft types'"'"' interop peer)'
	@echo '  clean   remove bench/bin/'

demo:
	@.ci/deps || echo 'demo: could not install libzmq3-dev/gcc (see above); the libzmq comparison needs them'
	$(GO) run ./cmd/demo
	# the seed patterns as checked Go examples (example_test.go)
	$(GO) test -count=1 -run '^Example' -v . | grep -E '^(--- |ok|FAIL)'
	@if pkg-config --exists libzmq 2>/dev/null && command -v cc >/dev/null; then \
		bench/run quick; \
	else \
		echo 'demo: libzmq or a C compiler is missing (apt-get install libzmq3-dev gcc): skipped the side-by-side line'; \
	fi

# The I/O-thread backends every test pass runs on, through $ZRING_POLLER.
POLLERS ?= uring epoll

# libzmq 4.3.5 with the draft API: the peer of the draft socket types'
# interop tests (internal/testpeer.StartDraft), built once, about 2
# minutes, into an ignored folder that later runs reuse.
# CONTRIB are the modules under contrib/, each with its own dependencies.
CONTRIB := contrib/prometheus

PEERS_DIR ?= $(CURDIR)/.peers
PEERS_SRC ?= $(CURDIR)/../shared/peers

peers:
	@test -x $(PEERS_SRC)/build-libzmq.sh || { echo "make peers: $(PEERS_SRC)/build-libzmq.sh not found: the interop peers live beside this checkout"; exit 1; }
	$(PEERS_SRC)/build-libzmq.sh $(PEERS_DIR)/libzmq

# make test: everything runs under -race on every poller. Without -race,
# everything runs on the first poller and the allocation tests on the
# others, which keeps CI inside .ci/run's 28 minutes.
test: fmt-check go-floor peers
	$(GO) vet ./...
	@echo "== cross-builds: every package on every platform Go supports (zring runs on Linux only)"
	GO='$(GO)' .ci/crossbuild
	@set -e; first=1; for p in $(POLLERS); do \
		echo "== race tests, poller $$p"; \
		ZRING_POLLER=$$p $(GO) test -race -shuffle=on -count=1 -timeout 15m ./...; \
		if [ $$first = 1 ]; then \
			echo "== again without -race (zero-allocation tests, mempool's per-P caches), poller $$p"; \
			ZRING_POLLER=$$p $(GO) test -shuffle=on -count=1 ./...; \
		else \
			echo "== the zero-allocation tests without -race, poller $$p"; \
			ZRING_POLLER=$$p $(GO) test -count=1 -run Alloc ./...; \
		fi; \
		first=0; \
		echo "== libzmq interop through the perf tools, poller $$p"; \
		ZRING_POLLER=$$p bench/run interop; \
	done
	@echo "== contrib modules (their own go.mod): $(CONTRIB)"
	@set -e; for m in $(CONTRIB); do (cd $$m && $(GO) vet ./... && $(GO) test -race -count=1 ./...); done
	@echo "== fuzz-ci: every fuzz target for 15s, once (default poller)"
	$(MAKE) --no-print-directory fuzz-ci

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

perf:
	bench/run full

# One run of a perf pair (FLAME: a bench/run measure, thr for
# local_thr/remote_thr over TCP, lat, ithr, ilat, ...; FLAME_SIZE bytes)
# with CPU profiles, each drawn as an SVG flame graph, whole and of its
# I/O threads alone, into FLAME_DIR (docs/profiling.md).
FLAME      ?= thr
FLAME_SIZE ?= 64
FLAME_DIR  ?= flame

flame:
	FLAME='$(FLAME)' FLAME_SIZE='$(FLAME_SIZE)' FLAME_DIR='$(FLAME_DIR)' GO='$(GO)' bench/run flame

fuzz:
	GO='$(GO)' FUZZFLAGS='$(FUZZFLAGS)' .ci/fuzz $(FUZZTIME) $(FUZZMINIMIZETIME) $(FUZZ)

fuzz-ci:
	$(MAKE) --no-print-directory fuzz FUZZTIME=15s

lint: fmt-check go-floor
	$(GO) vet ./...
	@bin=$$($(GO) env GOBIN); [ -n "$$bin" ] || bin=$$($(GO) env GOPATH)/bin; \
	sc=$$(command -v staticcheck || echo "$$bin/staticcheck"); \
	if [ ! -x "$$sc" ]; then \
		echo "GOFLAGS= $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)"; \
		GOFLAGS= $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) || exit 1; \
	fi; \
	echo "staticcheck ./..."; "$$sc" ./...

go-floor:
	@v=$$($(GO) list -m -f '{{.GoVersion}}'); \
	if [ "$$v" != '$(GO_FLOOR)' ]; then \
		echo "go.mod says go $$v; zring supports Go $(GO_FLOOR) and later: keep the directive at $(GO_FLOOR) (pin the dependency that raised it)"; \
		exit 1; \
	fi

fmt-check:
	@out=$$(gofmt -l .); \
	if [ -n "$$out" ]; then echo 'gofmt needed on:'; echo "$$out"; exit 1; fi

cross:
	GO='$(GO)' .ci/crossbuild

deps:
	.ci/deps

tools:
	bench/run build

clean:
	rm -rf bench/bin

.PHONY: help demo test peers bench perf flame fuzz fuzz-ci cross lint go-floor fmt-check deps tools clean
