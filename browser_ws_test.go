//go:build linux

package zring_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/zring/zring"
)

// TestBrowserWS proves that a real browser's WebSocket (headless Chromium)
// speaks ZWS 2.0 with a zring ROUTER bound on ws://. The page offers the
// bare "ZWS2.0": Chromium refuses "ZWS2.0/NULL" itself ("SyntaxError: The
// subprotocol 'ZWS2.0/NULL' is invalid"), as a subprotocol must be an HTTP
// token, and '/' is not a token character. Bare ZWS2.0 has no handshake:
// as with libzmq, each side's first message is its routing id. So the page
// sends "browser" as its routing id and one request, checks the ROUTER's
// routing id message, and receives the reply the ROUTER routes to
// "browser".

const browserWSPage = `<!doctype html><html><body><script>
const wsURL = %s;
const res = {protocol: "", ready: false, serverID: "", reply: "", error: ""};
let done = false;
function finish(err) {
  if (!done) fetch("/result", {method: "POST", body: JSON.stringify({...res, error: err})});
  done = true;
}
const enc = new TextEncoder(), dec = new TextDecoder();
const cat = (...ps) => new Uint8Array(ps.flatMap((p) => [...(typeof p === "string" ? enc.encode(p) : p)]));
try {
  const ws = new WebSocket(wsURL, ["ZWS2.0"]);
  ws.binaryType = "arraybuffer";
  ws.onopen = () => {
    res.protocol = ws.protocol;
    ws.send(cat([0x00], "browser"));
    ws.send(cat([0x00], "hello from chromium"));
  };
  ws.onmessage = (ev) => {
    if (!(ev.data instanceof ArrayBuffer)) return finish("non-binary message");
    const b = new Uint8Array(ev.data);
    if (!res.ready) {
      if (b[0] !== 0x00) return finish("first message flags " + b[0]);
      res.serverID = dec.decode(b.subarray(1));
      return void (res.ready = true);
    }
    if (b[0] !== 0x00) return finish("second message flags " + b[0]);
    res.reply = dec.decode(b.subarray(1));
    finish("");
  };
  ws.onerror = () => finish("websocket error");
  ws.onclose = (ev) => finish("websocket closed before the reply: code " + ev.code);
} catch (e) { finish("exception: " + e); }
</script></body></html>`

func TestBrowserWS(t *testing.T) {
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("%s is missing (%v): install it with `apt-get install chromium` (.ci/deps)", chromium, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	server := newSocket(t, newContext(t), zring.Router, zring.WithRoutingID([]byte("zring")))
	require.NoError(t, server.Bind("ws://127.0.0.1:*/zmq"))
	type request struct {
		parts [][]byte
		err   error
	}
	got := make(chan request, 1)
	go func() {
		var r request
		r.parts, r.err = server.RecvMultiContext(ctx, 0)
		if r.err == nil && len(r.parts) == 2 {
			r.err = server.SendMulti([][]byte{r.parts[0], append([]byte("re:"), r.parts[1]...)}, 0)
		}
		got <- r
	}()

	results := make(chan []byte, 1)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		u, _ := json.Marshal(server.Endpoint())
		fmt.Fprintf(w, browserWSPage, u)
	})
	mux.HandleFunc("POST /result", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		select {
		case results <- b:
		default:
		}
	})
	web := httptest.NewServer(mux)
	defer web.Close()

	dir := t.TempDir()
	// A file, not a pipe its crash handler (own process group) may hold open.
	out, err := os.Create(filepath.Join(dir, "chromium.log"))
	require.NoError(t, err)
	defer out.Close()
	cmd := exec.CommandContext(ctx, chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
		"--disable-dev-shm-usage", "--user-data-dir="+filepath.Join(dir, "profile"), "--no-first-run", web.URL+"/")
	cmd.Stdout, cmd.Stderr = out, out
	// Chromium forks helpers: kill its whole process group, not just it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	require.NoError(t, cmd.Start())

	var raw []byte
	select {
	case raw = <-results:
	case <-ctx.Done():
	}
	cancel() // the page is done (or timed out): kill chromium, then read its output
	_ = cmd.Wait()
	log, _ := os.ReadFile(out.Name())
	if raw == nil {
		t.Fatalf("no result from the page: %v; chromium output:\n%s", ctx.Err(), log)
	}
	var res struct {
		Protocol, ServerID, Reply, Error string
		Ready                            bool
	}
	require.NoError(t, json.Unmarshal(raw, &res), "page result %q", raw)
	t.Logf("page result: %s", raw)
	require.Empty(t, res.Error, "the page failed; chromium output:\n%s", log)

	var req request
	select {
	case req = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("the server goroutine never finished")
	}
	require.NoError(t, req.err)
	assert.Equal(t, [][]byte{[]byte("browser"), []byte("hello from chromium")}, req.parts,
		"the ROUTER knows the page by the routing id it sent")

	assert.Equal(t, "ZWS2.0", res.Protocol, "negotiated subprotocol")
	assert.True(t, res.Ready, "page saw the ROUTER's routing id message")
	assert.Equal(t, "zring", res.ServerID)
	assert.Equal(t, "re:hello from chromium", res.Reply)
}
