//go:build linux

package zring

import (
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

func getInt(t *testing.T, fd, level, opt int) int {
	t.Helper()
	v, err := unix.GetsockoptInt(fd, level, opt)
	require.NoError(t, err)
	return v
}

// The TCP options reach the listening socket and each connection.
func TestTCPOptionsApplied(t *testing.T) {
	c, err := NewContext()
	require.NoError(t, err)
	defer c.Close()
	opts := []Option{
		WithSndBuf(64 << 10), WithRcvBuf(96 << 10), WithTOS(0x10), WithBacklog(7),
		WithTCPKeepalive(true), WithTCPKeepaliveCnt(3), WithTCPKeepaliveIdle(10500 * time.Millisecond), WithTCPKeepaliveIntvl(5 * time.Second),
		WithTCPMaxRT(1500 * time.Millisecond),
	}
	pull, err := c.NewSocket(Pull, opts...)
	require.NoError(t, err)
	defer pull.Close()
	lmon, err := pull.Monitor(EventListening)
	require.NoError(t, err)
	require.NoError(t, pull.Bind("tcp://127.0.0.1:*"))
	lfd := int(eventOf(t, lmon).Value) // the listening fd
	// Linux doubles the requested buffer sizes for bookkeeping.
	assert.GreaterOrEqual(t, getInt(t, lfd, unix.SOL_SOCKET, unix.SO_RCVBUF), 96<<10)
	assert.Equal(t, 0x10, getInt(t, lfd, unix.IPPROTO_IP, unix.IP_TOS))

	push, err := c.NewSocket(Push, opts...)
	require.NoError(t, err)
	defer push.Close()
	cmon, err := push.Monitor(EventConnected)
	require.NoError(t, err)
	require.NoError(t, push.Connect(pull.Endpoint()))
	fd := int(eventOf(t, cmon).Value) // the connection's fd, tuned before the event
	assert.GreaterOrEqual(t, getInt(t, fd, unix.SOL_SOCKET, unix.SO_SNDBUF), 64<<10)
	assert.Equal(t, 1, getInt(t, fd, unix.IPPROTO_TCP, unix.TCP_NODELAY))
	assert.Equal(t, 1, getInt(t, fd, unix.SOL_SOCKET, unix.SO_KEEPALIVE))
	assert.Equal(t, 3, getInt(t, fd, unix.IPPROTO_TCP, unix.TCP_KEEPCNT))
	assert.Equal(t, 11, getInt(t, fd, unix.IPPROTO_TCP, unix.TCP_KEEPIDLE))
	assert.Equal(t, 5, getInt(t, fd, unix.IPPROTO_TCP, unix.TCP_KEEPINTVL))
	assert.Equal(t, 1500, getInt(t, fd, unix.IPPROTO_TCP, unix.TCP_USER_TIMEOUT))
	assert.Equal(t, 0x10, getInt(t, fd, unix.IPPROTO_IP, unix.IP_TOS))
}

// "tcp://src;dst" connects from the given source address.
func TestConnectFromSourceAddress(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	c, err := NewContext()
	require.NoError(t, err)
	defer c.Close()
	s, err := c.NewSocket(Push)
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.Connect("tcp://127.0.0.2:0;"+l.Addr().String()))
	conn, err := l.Accept()
	require.NoError(t, err)
	defer conn.Close()
	assert.Equal(t, "127.0.0.2", conn.RemoteAddr().(*net.TCPAddr).IP.String())
}

// IPV6: a wildcard bind is dual stack; an interface name binds to its address.
func TestIPv6AndInterfaceBind(t *testing.T) {
	c, err := NewContext()
	require.NoError(t, err)
	defer c.Close()
	s, err := c.NewSocket(Pull, WithIPv6(true), WithRcvTimeout(5*time.Second))
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.Bind("tcp://*:*"))
	_, port, err := net.SplitHostPort(s.Endpoint()[len("tcp://"):])
	require.NoError(t, err)
	assert.Contains(t, s.Endpoint(), "[::]")
	for _, host := range []string{"127.0.0.1", "[::1]"} {
		p, err := c.NewSocket(Push)
		require.NoError(t, err)
		require.NoError(t, p.Connect("tcp://"+host+":"+port))
		require.NoError(t, p.Send([]byte(host), 0))
		got, err := s.Recv(0)
		require.NoError(t, err)
		assert.Equal(t, host, string(got))
		p.Close()
	}

	lo, err := c.NewSocket(Pull)
	require.NoError(t, err)
	defer lo.Close()
	require.NoError(t, lo.Bind("tcp://lo:*"))
	assert.Regexp(t, `^tcp://127\.0\.0\.1:\d+$`, lo.Endpoint())
}

// eventOf waits for m's next event.
func eventOf(t *testing.T, m *Monitor) Event {
	t.Helper()
	select {
	case ev := <-m.Events():
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no monitor event")
		return Event{}
	}
}
