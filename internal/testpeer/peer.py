#!/usr/bin/python3
"""A libzmq socket driven by line commands on stdin (see doc.go).

Every command line gets exactly one reply line on stdout: "ok [RESULT]",
"msg FRAMES[;FRAMES...]" or "err CLASS message". Frames are hex, separated
by commas, the empty frame written as "-". The first line printed is
"ready LIBZMQ_VERSION PYZMQ_VERSION", or "err ENOZMQ ..." if pyzmq is missing.
"""

import hashlib
import os
import queue
import sys
import threading

try:
    import zmq
except ImportError as exc:  # reported to the Go side, which fails the test
    print("err ENOZMQ cannot import zmq: %s" % exc, flush=True)
    sys.exit(1)

# Seconds the process may linger after stdin closes before it is forced out.
EXIT_GRACE = 5.0

BYTES_OPTIONS = {
    "ROUTING_ID", "IDENTITY", "CONNECT_ROUTING_ID", "SUBSCRIBE",
    "UNSUBSCRIBE", "ZAP_DOMAIN", "PLAIN_USERNAME", "PLAIN_PASSWORD",
    "CURVE_PUBLICKEY", "CURVE_SECRETKEY", "CURVE_SERVERKEY",
    "XPUB_WELCOME_MSG", "SOCKS_PROXY", "BINDTODEVICE",
}


class CommandError(Exception):
    """An error reported as "err CLASS message"."""

    def __init__(self, cls, message):
        super().__init__(message)
        self.cls = cls


def encode_frame(frame):
    return frame.hex() if frame else "-"


def encode_frames(frames):
    return ",".join(encode_frame(bytes(f)) for f in frames)


def decode_bytes(text):
    if text == "-":
        return b""
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise CommandError("EINVAL", "bad hex %r" % text[:40])


def decode_frames(text):
    if not text:
        raise CommandError("EINVAL", "no frames")
    return [decode_bytes(part) for part in text.split(",")]


def parse_int(text):
    try:
        return int(text, 0)
    except ValueError:
        raise CommandError("EINVAL", "bad integer %r" % text)


def pattern(size):
    block = bytes(range(251))
    return (block * (size // 251 + 1))[:size]


def errno_name(errno):
    try:
        return zmq.Errno(errno).name
    except ValueError:
        return "E%d" % errno


def event_name(event):
    try:
        return zmq.Event(event).name
    except ValueError:
        return "EVENT_%d" % event


class Peer:
    """Holds the socket and dispatches commands to cmd_* methods."""

    def __init__(self):
        self.ctx = zmq.Context()
        self.sock = None
        self.mon = None
        self.zap = None

    def need_socket(self):
        if self.sock is None:
            raise CommandError("ENOTSOCK", "no socket: use 'socket TYPE'")
        return self.sock

    def dispatch(self, line):
        name, _, arg = line.partition(" ")
        handler = getattr(self, "cmd_" + name, None)
        if handler is None:
            raise CommandError("EINVAL", "unknown command %r" % name)
        return handler(arg)

    def cmd_socket(self, arg):
        try:
            kind = zmq.SocketType[arg.upper()]
        except KeyError:
            raise CommandError("EINVAL", "unknown socket type %r" % arg)
        self.cmd_close("")
        self.sock = self.ctx.socket(kind)
        return "ok"

    def cmd_setsockopt(self, arg):
        name, _, value = arg.partition(" ")
        opt = option(name)
        if is_bytes_option(name, opt):
            self.need_socket().setsockopt(opt, decode_bytes(value))
        else:
            self.need_socket().setsockopt(opt, parse_int(value))
        return "ok"

    def cmd_getsockopt(self, arg):
        value = self.need_socket().getsockopt(option(arg))
        if isinstance(value, bytes):
            return "ok " + encode_frame(value)
        return "ok %d" % value

    def cmd_bind(self, arg):
        sock = self.need_socket()
        sock.bind(arg)
        return "ok " + sock.getsockopt(zmq.LAST_ENDPOINT).decode()

    def cmd_connect(self, arg):
        self.need_socket().connect(arg)
        return "ok"

    def cmd_unbind(self, arg):
        self.need_socket().unbind(arg)
        return "ok"

    def cmd_disconnect(self, arg):
        self.need_socket().disconnect(arg)
        return "ok"

    def cmd_send(self, arg):
        self.need_socket().send_multipart(decode_frames(arg))
        return "ok"

    def cmd_recv(self, arg):
        return "msg " + encode_frames(self.need_socket().recv_multipart())

    def cmd_recvprops(self, arg):
        """Receives one message and reads the given properties of its first
        frame with zmq_msg_gets (comma-separated names). Replies "ok FRAMES
        VALUES": the values comma-separated in hex ("-" empty), "?" for a
        property the message does not have."""
        names = [n for n in arg.split(",") if n]
        if not names:
            raise CommandError("EINVAL", "recvprops needs property names")
        frames = self.need_socket().recv_multipart(copy=False)
        values = []
        for name in names:
            try:
                value = frames[0].get(name)
            except zmq.ZMQError:
                values.append("?")
                continue
            if isinstance(value, str):
                value = value.encode()
            values.append(encode_frame(value))
        return "ok %s %s" % (encode_frames(f.bytes for f in frames), ",".join(values))

    def cmd_recvn(self, arg):
        count = parse_int(arg)
        sock = self.need_socket()
        msgs = [encode_frames(sock.recv_multipart()) for _ in range(count)]
        return "msg " + ";".join(msgs)

    def cmd_sendbig(self, arg):
        self.need_socket().send(pattern(parse_int(arg)))
        return "ok"

    def cmd_recvcheck(self, arg):
        frames = self.need_socket().recv_multipart()
        digest = hashlib.sha256()
        size = 0
        for frame in frames:
            digest.update(frame)
            size += len(frame)
        return "ok %d %s" % (size, digest.hexdigest())

    def cmd_echo(self, arg):
        count = parse_int(arg)
        sock = self.need_socket()
        for done in range(count):
            try:
                sock.send_multipart(sock.recv_multipart())
            except zmq.ZMQError as exc:
                raise CommandError(errno_name(exc.errno),
                                   "after %d echoes: %s" % (done, exc))
        return "ok"

    def cmd_monitor(self, arg):
        if self.mon is None:
            self.mon = self.need_socket().get_monitor_socket()
        return "ok"

    def cmd_events(self, arg):
        if self.mon is None:
            raise CommandError("EINVAL", "no monitor: use 'monitor'")
        from zmq.utils.monitor import recv_monitor_message
        events = []
        while self.mon.poll(0):
            ev = recv_monitor_message(self.mon)
            events.append("%s:%d" % (event_name(ev["event"]), ev["value"]))
        return " ".join(["ok"] + events)

    def cmd_zap(self, arg):
        """Binds a ZAP handler in the peer's context. arg lists the accepted
        credentials, comma-separated and hex-encoded: "PLAIN:user:password",
        "CURVE:<Z85 public key>" or "NULL". Others get 400. The user id is
        the username, or the key."""
        accept = set()
        for item in filter(None, arg.split(",")):
            accept.add(decode_bytes(item).decode())
        if self.zap is not None:
            raise CommandError("EINVAL", "a ZAP handler is already bound")
        self.zap = self.ctx.socket(zmq.REP)
        self.zap.linger = 0
        self.zap.bind("inproc://zeromq.zap.01")
        threading.Thread(target=serve_zap, args=(self.zap, accept), daemon=True).start()
        return "ok"

    def cmd_close(self, arg):
        if self.mon is not None:
            self.sock.disable_monitor()
            self.mon.close(0)
            self.mon = None
        if self.sock is not None:
            self.sock.close()
            self.sock = None
        return "ok"


def serve_zap(rep, accept):
    """Answers ZAP requests on rep until the process ends."""
    from zmq.utils import z85
    while True:
        try:
            frames = rep.recv_multipart()
        except zmq.ZMQError:
            return
        version, request_id, mechanism, creds = frames[0], frames[1], frames[5], frames[6:]
        if mechanism == b"CURVE" and len(creds) == 1:
            user = z85.encode(creds[0]).decode()
        else:
            user = ":".join(c.decode("latin-1") for c in creds[:1])
        key = ":".join([mechanism.decode()] + [c.decode("latin-1") for c in creds])
        if mechanism == b"CURVE" and len(creds) == 1:
            key = "CURVE:" + user
        ok = key in accept
        rep.send_multipart([version, request_id, b"200" if ok else b"400",
                            b"OK" if ok else b"denied",
                            user.encode() if ok else b"", b""])


def option(name):
    try:
        return zmq.SocketOption[name.upper()]
    except KeyError:
        raise CommandError("EINVAL", "unknown option %r" % name)


def is_bytes_option(name, opt):
    if name.upper() in BYTES_OPTIONS:
        return True
    opt_type = getattr(opt, "_opt_type", None)
    return getattr(opt_type, "name", "") == "bytes"


def read_stdin(lines):
    """Feeds stdin lines to the main loop; forces an exit after EOF."""
    for line in iter(sys.stdin.readline, ""):
        lines.put(line.rstrip("\r\n"))
    lines.put(None)
    timer = threading.Timer(EXIT_GRACE, os._exit, (0,))
    timer.daemon = True
    timer.start()


def reply(text):
    sys.stdout.write(text.replace("\n", " ") + "\n")
    sys.stdout.flush()


def run_command(peer, line):
    try:
        return peer.dispatch(line)
    except CommandError as exc:
        return "err %s %s" % (exc.cls, exc)
    except zmq.ZMQError as exc:
        return "err %s %s" % (errno_name(exc.errno), exc)
    except Exception as exc:  # never die silently
        return "err EPYTHON %s: %s" % (type(exc).__name__, exc)


def main():
    reply("ready %s %s" % (zmq.zmq_version(), zmq.__version__))
    lines = queue.Queue()
    threading.Thread(target=read_stdin, args=(lines,), daemon=True).start()
    peer = Peer()
    while True:
        line = lines.get()
        if line is None:
            break
        if line == "quit":
            reply("ok")
            break
        reply(run_command(peer, line))
    peer.cmd_close("")
    peer.ctx.term()
    return 0


if __name__ == "__main__":
    sys.exit(main())
