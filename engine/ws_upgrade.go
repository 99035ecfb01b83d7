//go:build linux

package engine

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/zring/zring/internal/zerr"
	"github.com/zring/zring/zmtp"
	"golang.org/x/sys/unix"
)

// The opening of a ws:// or wss:// connection: TCP, then TLS for wss, then
// the HTTP upgrade, each in a goroutine of its own (the I/O threads never
// block), bounded by HANDSHAKE_IVL; then ws_bridge.go carries it.

// wsTarget is the WebSocket part of a ws:// or wss:// endpoint.
type wsTarget struct {
	secure bool
	host   string // as written: the Host header, and the TLS server name
	path   string // the request path; "/" when the endpoint has none
}

func (w *wsTarget) scheme() string {
	if w.secure {
		return TransportWSS
	}
	return TransportWS
}

// resolveWS resolves "host:port/path". As libzmq does, a listener serves
// any path: the path is what a connect asks for.
func resolveWS(r *net.Resolver, transport, addr string, bind, ipv6 bool) (Addr, error) {
	hostPort, path := addr, "/"
	if i := indexPath(addr); i >= 0 {
		hostPort, path = addr[:i], addr[i:]
	}
	a, err := ResolveTCP(r, hostPort, bind, ipv6)
	if err != nil {
		return a, err
	}
	host, _, _ := net.SplitHostPort(hostPort)
	a.ws = &wsTarget{secure: transport == TransportWSS, host: host, path: path}
	return a, nil
}

// indexPath finds the '/' that starts the path, after an IPv6 literal's
// brackets.
func indexPath(addr string) int {
	from := 0
	if len(addr) > 0 && addr[0] == '[' {
		for from < len(addr) && addr[from] != ']' {
			from++
		}
	}
	for i := from; i < len(addr); i++ {
		if addr[i] == '/' {
			return i
		}
	}
	return -1
}

// handshakeDeadline bounds the TLS and HTTP handshakes, as HANDSHAKE_IVL
// bounds ZMTP's.
func handshakeDeadline(ivl time.Duration) time.Time {
	if ivl <= 0 {
		return time.Time{}
	}
	return time.Now().Add(ivl)
}

// acceptWS upgrades a connection the listener accepted (fd, already
// tuned) on a goroutine, then starts its session on the listener's thread.
// The listener's close ends the upgrades in progress.
func (l *Listener) acceptWS(fd int, opts SessionOptions) {
	defer l.eng.bg.Done()
	f := os.NewFile(uintptr(fd), "zring-ws")
	nc, err := net.FileConn(f)
	f.Close()
	if err != nil {
		l.sock.Event(EventAcceptFailed, errnoValue(err), l.endpoint, err)
		return
	}
	if !l.upgrades.add(nc) {
		nc.Close() // the listener closed meanwhile
		return
	}
	defer l.upgrades.remove(nc)
	if l.addr.ws.secure {
		if err := l.addr.CheckBind(opts.TLS); err != nil {
			nc.Close()
			l.sock.Event(EventAcceptFailed, 0, l.endpoint, err)
			return
		}
		nc = tls.Server(nc, opts.TLS)
	}
	mech := opts.Security.mechanismName()
	_ = nc.SetDeadline(handshakeDeadline(opts.HandshakeIvl))
	proto, rest, err := serverUpgrade(nc, mech)
	if err != nil {
		nc.Close()
		l.sock.Event(EventHandshakeFailedProtocol, ProtocolErrorUnspecified, l.endpoint, err)
		l.sock.Event(EventDisconnected, uint32(fd), l.endpoint, err)
		return
	}
	_ = nc.SetDeadline(time.Time{})
	efd, ws, err := linkWS(&l.eng.bg, nc, rest, false, proto, &opts)
	if err != nil {
		nc.Close()
		l.sock.Event(EventAcceptFailed, errnoValue(err), l.endpoint, err)
		return
	}
	l.thread.Post(func() {
		if l.closed {
			unix.Close(efd)
			return
		}
		acceptSession(l.sock, l.eng.ChooseAmong(l.affinity), efd, l, ws)
	})
}

// upgrades are a listener's connections still upgrading, which its close
// ends. Any goroutine.
type upgrades struct {
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
}

func (u *upgrades) add(nc net.Conn) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.closed {
		return false
	}
	if u.conns == nil {
		u.conns = make(map[net.Conn]struct{})
	}
	u.conns[nc] = struct{}{}
	return true
}

func (u *upgrades) remove(nc net.Conn) {
	u.mu.Lock()
	delete(u.conns, nc)
	u.mu.Unlock()
}

// close ends every upgrade in progress and refuses new ones.
func (u *upgrades) close() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.closed = true
	for nc := range u.conns {
		nc.Close()
	}
}

// serverUpgrade reads a client's upgrade request and answers it, choosing
// the subprotocol of mech. It returns that and what the client sent past
// its request. A request it refuses gets a 400 with the reason.
func serverUpgrade(nc net.Conn, mech string) (string, []byte, error) {
	var req zmtp.WSRequest
	rest, err := readHead(nc, func(buf []byte) (n int, err error) {
		req, n, err = zmtp.ParseWSRequest(buf)
		return n, err
	})
	proto, ok := zmtp.WSSelect(req.Protocols, mech)
	if err == nil && !ok {
		err = fmt.Errorf("%w: the client offers %q, this socket speaks %s", zmtp.ErrWSHandshake, req.Protocols, zmtp.WSProtocol(mech))
	}
	if errors.Is(err, zmtp.ErrWSHandshake) {
		_, _ = nc.Write(zmtp.AppendWSRefusal(nil, err.Error()))
	}
	if err != nil {
		return "", nil, fmt.Errorf("zring: ws upgrade: %w", err)
	}
	if _, err := nc.Write(zmtp.AppendWSResponse(nil, req.Key, proto)); err != nil {
		return "", nil, err
	}
	return proto, rest, nil
}

// readHead reads nc into one buffer until parse finds a whole HTTP head
// (n > 0) or refuses what came, and returns what followed the head. parse
// refuses a buffer full without one (zmtp.WSMaxHandshake), so the buffer
// never needs to grow.
func readHead(nc net.Conn, parse func(buf []byte) (n int, err error)) ([]byte, error) {
	buf := make([]byte, 0, zmtp.WSMaxHandshake)
	for {
		n, err := parse(buf)
		switch {
		case err != nil:
			return nil, err
		case n > 0:
			return buf[n:], nil
		}
		k, err := nc.Read(buf[len(buf):cap(buf)])
		if err != nil {
			return nil, err
		}
		buf = buf[:len(buf)+k]
	}
}

// dialWS opens a connecting session's ws:// or wss:// connection on a
// goroutine; the session's thread then starts it, or retries.
func (ss *Session) dialWS() {
	ctx, cancel := context.WithCancel(context.Background())
	ss.dialCancel = cancel
	a, opts, sock, ep := *ss.addr, ss.opts, ss.sock, ss.endpoint // copies: the goroutine owns them
	wg := &ss.thread.eng.bg
	wg.Add(1)
	go func() {
		defer wg.Done()
		fd, ws, err := openWS(ctx, wg, a, &opts, sock, ep)
		ss.thread.Post(func() {
			cancel()
			ss.dialCancel = nil
			if err != nil {
				ss.connClosed(err, false)
				return
			}
			ss.startConn(fd, false, ws)
		})
	}()
}

// openWS connects, secures and upgrades, raising the monitor events of
// each step.
func openWS(ctx context.Context, wg *sync.WaitGroup, a Addr, opts *SessionOptions, sock Socket, ep string) (int, wsLink, error) {
	d := net.Dialer{Timeout: opts.ConnectTimeout, Control: func(_, _ string, rc syscall.RawConn) error {
		var perr error
		if err := rc.Control(func(fd uintptr) { perr = opts.TCP.prepare(int(fd), a.fam) }); err != nil {
			return err
		}
		return perr
	}}
	nc, err := d.DialContext(ctx, "tcp", net.JoinHostPort(a.host, strconv.Itoa(a.port)))
	if err != nil {
		sock.Event(EventClosed, errnoValue(err), ep, err)
		return -1, wsLink{}, err
	}
	var fd uint32
	if rc, err := nc.(*net.TCPConn).SyscallConn(); err == nil {
		_ = rc.Control(func(f uintptr) {
			fd = uint32(f)
			_ = opts.TCP.tune(int(f), a.fam)
		})
	}
	sock.Event(EventConnected, fd, ep, nil)
	fail := func(err error) (int, wsLink, error) {
		nc.Close()
		sock.Event(EventHandshakeFailedProtocol, ProtocolErrorUnspecified, ep, err)
		sock.Event(EventDisconnected, fd, ep, err)
		return -1, wsLink{}, err
	}
	stop := context.AfterFunc(ctx, func() { nc.Close() }) // the session ended
	defer stop()
	_ = nc.SetDeadline(handshakeDeadline(opts.HandshakeIvl))
	if a.ws.secure {
		cfg := opts.TLS.Clone()
		if cfg == nil {
			cfg = &tls.Config{}
		}
		if cfg.ServerName == "" {
			cfg.ServerName = a.ws.host
		}
		nc = tls.Client(nc, cfg)
	}
	mech := opts.Security.mechanismName()
	rest, err := clientUpgrade(nc, a, mech)
	if err != nil {
		return fail(err)
	}
	_ = nc.SetDeadline(time.Time{})
	efd, ws, err := linkWS(wg, nc, rest, true, zmtp.WSProtocol(mech), opts)
	if err != nil {
		return fail(err)
	}
	return efd, ws, nil
}

// clientUpgrade sends the upgrade request for a, offering the
// subprotocol of mech, and reads the answer. It returns what the server
// sent past its response.
func clientUpgrade(nc net.Conn, a Addr, mech string) ([]byte, error) {
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	key := base64.StdEncoding.EncodeToString(raw[:])
	proto := zmtp.WSProtocol(mech)
	host := net.JoinHostPort(a.ws.host, strconv.Itoa(a.port))
	if _, err := nc.Write(zmtp.AppendWSRequest(nil, host, a.ws.path, key, []string{proto})); err != nil {
		return nil, fmt.Errorf("zring: ws upgrade: %w", err)
	}
	var got string
	rest, err := readHead(nc, func(buf []byte) (n int, err error) {
		got, n, err = zmtp.ParseWSResponse(buf, key)
		return n, err
	})
	switch {
	case err != nil:
		return nil, fmt.Errorf("zring: ws upgrade: %w", err)
	case got != proto:
		return nil, fmt.Errorf("zring: ws upgrade: %w: the server chose %q, we offered %q", zmtp.ErrWSHandshake, got, proto)
	}
	return rest, nil
}

// CheckBind reports a wss:// bind that has no certificate in cfg
// (ErrInvalid); any other bind is fine.
func (a Addr) CheckBind(cfg *tls.Config) error {
	if a.ws == nil || !a.ws.secure {
		return nil
	}
	if cfg == nil || len(cfg.Certificates) == 0 && cfg.GetCertificate == nil && cfg.GetConfigForClient == nil {
		return fmt.Errorf("%w: a wss:// bind needs a certificate (WithTLSCertificate or WithTLSConfig)", zerr.ErrInvalid)
	}
	return nil
}
