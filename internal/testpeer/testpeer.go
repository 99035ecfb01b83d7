package testpeer

import (
	"bufio"
	"bytes"
	_ "embed" // peer.py is embedded so tests work from any package directory
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

//go:embed peer.py
var peerScript []byte

// Python is the interpreter that runs the peer; it must have the zmq module.
const Python = "/usr/bin/python3"

// DefaultTimeout is how long Do waits for a reply before failing.
const DefaultTimeout = 10 * time.Second

const (
	installHint = "install it with: apt-get install python3-zmq"
	exitGrace   = 2 * time.Second
)

// Error is an "err CLASS message" reply from the peer.
type Error struct {
	Class   string // libzmq errno name such as EAGAIN or EFSM, or EINVAL/EPYTHON
	Message string
}

// ErrAgain matches (with errors.Is) an EAGAIN reply, e.g. a recv timeout.
var ErrAgain = &Error{Class: "EAGAIN"}

// Error implements error.
func (e *Error) Error() string {
	return "testpeer: " + e.Class + ": " + e.Message
}

// Is reports whether target is an *Error of the same Class.
func (e *Error) Is(target error) bool {
	var t *Error
	return errors.As(target, &t) && t.Class == e.Class
}

// Peer is a libzmq socket in a /usr/bin/python3 child process.
type Peer struct {
	t       testing.TB
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	lines   chan string   // reply lines; closed when stdout ends
	exited  chan struct{} // closed once the child has been reaped
	stderr  lockedBuffer
	version string
	hint    string // how to install what the peer needs

	mu      sync.Mutex // serialises commands
	timeout time.Duration
	dead    error
}

// Start starts a child process holding a libzmq socket of socketType (e.g.
// "PUSH"). The child is stopped by t.Cleanup. A missing /usr/bin/python3 or
// zmq module fails the test; it is never skipped.
func Start(t testing.TB, socketType string) *Peer {
	t.Helper()
	p := launch(t, Python)
	p.MustDo("socket " + socketType)
	return p
}

func launch(t testing.TB, python string) *Peer {
	t.Helper()
	if _, err := os.Stat(python); err != nil {
		t.Fatalf("testpeer: %s not found (%v); %s", python, err, installHint)
	}
	script := filepath.Join(t.TempDir(), "peer.py")
	if err := os.WriteFile(script, peerScript, 0o600); err != nil {
		t.Fatalf("testpeer: writing %s: %v", script, err)
	}
	return launchCmd(t, exec.Command(python, "-u", script), installHint)
}

// launchCmd starts cmd, a peer speaking the command protocol, and waits
// for its ready line; hint says how to install what is missing.
func launchCmd(t testing.TB, cmd *exec.Cmd, hint string) *Peer {
	t.Helper()
	p := &Peer{t: t, timeout: DefaultTimeout, cmd: cmd, hint: hint,
		lines: make(chan string, 1), exited: make(chan struct{})}
	p.cmd.Stderr = &p.stderr
	if err := p.startChild(); err != nil {
		t.Fatalf("testpeer: starting %s: %v", cmd.Path, err)
	}
	t.Cleanup(p.stop)
	p.awaitReady()
	return p
}

func (p *Peer) startChild() error {
	stdin, err := p.cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := p.cmd.Start(); err != nil {
		return err
	}
	p.stdin = stdin
	go p.readLoop(stdout)
	return nil
}

// readLoop forwards stdout lines, then reaps the child.
func (p *Peer) readLoop(stdout io.Reader) {
	r := bufio.NewReader(stdout)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			break
		}
		p.lines <- strings.TrimRight(line, "\r\n")
	}
	close(p.lines)
	_ = p.cmd.Wait()
	close(p.exited)
}

func (p *Peer) awaitReady() {
	p.t.Helper()
	line, err := p.readLine()
	if err != nil || !strings.HasPrefix(line, "ready ") {
		p.t.Fatalf("testpeer: %s cannot run the libzmq peer (%q, %v); %s",
			p.cmd.Path, line, err, p.hint)
	}
	p.version = strings.TrimPrefix(line, "ready ")
}

// stop closes stdin, gives the child a moment to exit, then kills it.
func (p *Peer) stop() {
	_ = p.stdin.Close()
	go func() {
		for range p.lines { // discard stray replies so readLoop reaps the child
		}
	}()
	select {
	case <-p.exited:
		return
	case <-time.After(exitGrace):
	}
	_ = p.cmd.Process.Kill()
	<-p.exited
}

// PID returns the peer process's id (to read its memory from /proc).
func (p *Peer) PID() int { return p.cmd.Process.Pid }

// Version returns "LIBZMQ_VERSION PYZMQ_VERSION" as reported by the child.
func (p *Peer) Version() string { return p.version }

// SetTimeout sets the per-command reply timeout (DefaultTimeout initially).
func (p *Peer) SetTimeout(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.timeout = d
}

// Do sends one command line and returns the reply without its "ok " prefix
// ("msg ..." replies are returned whole). An "err CLASS message" reply is
// returned as an *Error. If no reply arrives within the timeout the child is
// killed and an error is returned; the Peer is unusable afterwards.
func (p *Peer) Do(cmd string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dead != nil {
		return "", p.dead
	}
	if strings.ContainsAny(cmd, "\r\n") {
		return "", fmt.Errorf("testpeer: command %q contains a newline", cmd)
	}
	if _, err := io.WriteString(p.stdin, cmd+"\n"); err != nil {
		return "", p.fail(fmt.Errorf("testpeer: writing %q: %w", brief(cmd), err))
	}
	line, err := p.readLine()
	if err != nil {
		return "", p.fail(fmt.Errorf("testpeer: %q: %w", brief(cmd), err))
	}
	return parseReply(line)
}

// fail marks the peer dead, kills the child and returns err.
func (p *Peer) fail(err error) error {
	p.dead = err
	_ = p.cmd.Process.Kill()
	return err
}

// readLine waits up to the timeout for one stdout line.
func (p *Peer) readLine() (string, error) {
	timer := time.NewTimer(p.timeout)
	defer timer.Stop()
	select {
	case line, ok := <-p.lines:
		if !ok {
			<-p.exited
			return "", fmt.Errorf("peer exited: %s; stderr: %s",
				p.cmd.ProcessState, p.stderr.String())
		}
		return line, nil
	case <-timer.C:
		return "", fmt.Errorf("no reply within %v; stderr: %s",
			p.timeout, p.stderr.String())
	}
}

func parseReply(line string) (string, error) {
	switch {
	case line == "ok":
		return "", nil
	case strings.HasPrefix(line, "ok "):
		return line[3:], nil
	case strings.HasPrefix(line, "err "):
		class, msg, _ := strings.Cut(line[4:], " ")
		return "", &Error{Class: class, Message: msg}
	case strings.HasPrefix(line, "msg "):
		return line, nil
	}
	return "", fmt.Errorf("testpeer: malformed reply %q", line)
}

func brief(cmd string) string {
	if len(cmd) > 80 {
		return cmd[:80] + "..."
	}
	return cmd
}

// MustDo is Do, failing the test on error. Call it from the test goroutine.
func (p *Peer) MustDo(cmd string) string {
	p.t.Helper()
	reply, err := p.Do(cmd)
	var perr *Error
	if errors.As(err, &perr) {
		p.t.Fatalf("testpeer: %q: %v", brief(cmd), err)
	} else if err != nil {
		p.t.Fatal(err)
	}
	return reply
}

// SetOption sets a socket option; value is an int, a bool, a []byte or a
// string (bytes options such as ROUTING_ID and SUBSCRIBE).
func (p *Peer) SetOption(name string, value any) {
	p.t.Helper()
	var arg string
	switch v := value.(type) {
	case int:
		arg = strconv.Itoa(v)
	case bool:
		arg = map[bool]string{false: "0", true: "1"}[v]
	case []byte:
		arg = encodeFrame(v)
	case string:
		arg = encodeFrame([]byte(v))
	default:
		p.t.Fatalf("testpeer: SetOption %s: unsupported value type %T", name, value)
	}
	p.MustDo("setsockopt " + name + " " + arg)
}

// Bind binds the socket and returns the endpoint actually bound.
func (p *Peer) Bind(endpoint string) string {
	p.t.Helper()
	return p.MustDo("bind " + endpoint)
}

// Connect connects the socket to endpoint.
func (p *Peer) Connect(endpoint string) {
	p.t.Helper()
	p.MustDo("connect " + endpoint)
}

// Send sends one multipart message, failing the test on error.
func (p *Peer) Send(frames ...[]byte) {
	p.t.Helper()
	if len(frames) == 0 {
		p.t.Fatalf("testpeer: Send needs at least one frame")
	}
	p.MustDo("send " + EncodeFrames(frames))
}

// Recv receives one multipart message, failing the test on timeout or error.
func (p *Peer) Recv() [][]byte {
	p.t.Helper()
	frames, err := p.TryRecv()
	if err != nil {
		p.t.Fatalf("testpeer: recv: %v", err)
	}
	return frames
}

// TryRecv receives one multipart message; on RCVTIMEO expiry the error
// matches ErrAgain.
func (p *Peer) TryRecv() ([][]byte, error) {
	msgs, err := p.recvMsgs("recv")
	if err != nil {
		return nil, err
	}
	return msgs[0], nil
}

// RecvProps receives one multipart message and the properties names of its
// connection as libzmq's zmq_msg_gets reads them (e.g. "User-Id",
// "Socket-Type", "Peer-Address"); a property the message lacks is absent
// from the map. It fails the test on timeout or error.
func (p *Peer) RecvProps(names ...string) ([][]byte, map[string]string) {
	p.t.Helper()
	for _, n := range names {
		if n == "" || strings.ContainsAny(n, ", ") {
			p.t.Fatalf("testpeer: RecvProps: bad property name %q", n)
		}
	}
	reply := p.MustDo("recvprops " + strings.Join(names, ","))
	enc, vals, ok := strings.Cut(reply, " ")
	frames, err := DecodeFrames(enc)
	values := strings.Split(vals, ",")
	if !ok || err != nil || len(values) != len(names) {
		p.t.Fatalf("testpeer: malformed recvprops reply %q", reply)
	}
	props := make(map[string]string)
	for i, v := range values {
		if v == "?" {
			continue
		}
		b, err := decodeFrame(v)
		if err != nil {
			p.t.Fatalf("testpeer: malformed recvprops reply %q", reply)
		}
		props[names[i]] = string(b)
	}
	return frames, props
}

// RecvN receives n multipart messages, failing the test on error.
func (p *Peer) RecvN(n int) [][][]byte {
	p.t.Helper()
	msgs, err := p.recvMsgs("recvn " + strconv.Itoa(n))
	if err != nil {
		p.t.Fatalf("testpeer: recvn %d: %v", n, err)
	}
	return msgs
}

func (p *Peer) recvMsgs(cmd string) ([][][]byte, error) {
	reply, err := p.Do(cmd)
	if err != nil {
		return nil, err
	}
	body, ok := strings.CutPrefix(reply, "msg ")
	if !ok {
		return nil, fmt.Errorf("testpeer: %s: unexpected reply %q", cmd, reply)
	}
	var msgs [][][]byte
	for _, part := range strings.Split(body, ";") {
		frames, err := DecodeFrames(part)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, frames)
	}
	return msgs, nil
}

// SendBig sends one frame of size bytes of Pattern(size).
func (p *Peer) SendBig(size int) {
	p.t.Helper()
	p.MustDo("sendbig " + strconv.Itoa(size))
}

// RecvCheck receives one message and returns the total size and SHA-256 of
// its concatenated frames (compare with sha256.Sum256(Pattern(n))).
func (p *Peer) RecvCheck() (n int, sum [32]byte) {
	p.t.Helper()
	reply := p.MustDo("recvcheck")
	size, digest, _ := strings.Cut(reply, " ")
	n, err := strconv.Atoi(size)
	raw, herr := hex.DecodeString(digest)
	if err != nil || herr != nil || len(raw) != len(sum) {
		p.t.Fatalf("testpeer: malformed recvcheck reply %q", reply)
	}
	copy(sum[:], raw)
	return n, sum
}

// Echo serves n request/reply echoes (receive a message, send it back).
func (p *Peer) Echo(n int) {
	p.t.Helper()
	p.MustDo("echo " + strconv.Itoa(n))
}

// Monitor starts a libzmq socket monitor; read its events with Events.
func (p *Peer) Monitor() {
	p.t.Helper()
	p.MustDo("monitor")
}

// Events drains pending monitor events as "NAME:VALUE" strings, e.g.
// "HANDSHAKE_SUCCEEDED:0".
func (p *Peer) Events() []string {
	p.t.Helper()
	return strings.Fields(p.MustDo("events"))
}

// ZAP binds a ZAP handler in the peer's libzmq context that accepts only
// the credentials listed: "PLAIN:user:password", "CURVE:<Z85 public key>"
// or "NULL"; others get status 400. The user id is the username or key.
func (p *Peer) ZAP(accept ...string) {
	p.t.Helper()
	enc := make([]string, len(accept))
	for i, a := range accept {
		enc[i] = encodeFrame([]byte(a))
	}
	p.MustDo("zap " + strings.Join(enc, ","))
}

// Close closes the socket (honouring LINGER); the process keeps running.
func (p *Peer) Close() {
	p.t.Helper()
	p.MustDo("close")
}

// EncodeFrames encodes a multipart message as comma-separated hex frames,
// the empty frame written as "-".
func EncodeFrames(frames [][]byte) string {
	parts := make([]string, len(frames))
	for i, f := range frames {
		parts[i] = encodeFrame(f)
	}
	return strings.Join(parts, ",")
}

func encodeFrame(f []byte) string {
	if len(f) == 0 {
		return "-"
	}
	return hex.EncodeToString(f)
}

// DecodeFrames is the inverse of EncodeFrames. Empty frames decode as
// non-nil empty slices.
func DecodeFrames(s string) ([][]byte, error) {
	if s == "" {
		return nil, errors.New("testpeer: no frames")
	}
	parts := strings.Split(s, ",")
	frames := make([][]byte, len(parts))
	for i, part := range parts {
		f, err := decodeFrame(part)
		if err != nil {
			return nil, err
		}
		frames[i] = f
	}
	return frames, nil
}

// decodeFrame decodes one frame of EncodeFrames.
func decodeFrame(part string) ([]byte, error) {
	if part == "-" {
		return []byte{}, nil
	}
	f, err := hex.DecodeString(part)
	if err != nil || len(f) == 0 {
		return nil, fmt.Errorf("testpeer: bad frame %q", brief(part))
	}
	return f, nil
}

// Pattern returns size bytes where byte i is i%251, as sent by SendBig.
func Pattern(size int) []byte {
	b := make([]byte, size)
	for i := range b {
		b[i] = byte(i % 251)
	}
	return b
}

// lockedBuffer is a bytes.Buffer safe for the concurrent use of exec's
// stderr copier and error reporting.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p under the lock.
func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written so far.
func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
