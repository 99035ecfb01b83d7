package zmtp

import "testing"

// BenchmarkDecode64 decodes 64-byte data frames from a 64 KiB buffer, the
// shape of a read-buffer's worth of small messages.
func BenchmarkDecode64(b *testing.B) {
	const frameLen = 2 + 64
	stream := make([]byte, 0, 64<<10)
	payload := make([]byte, 64)
	for len(stream)+frameLen <= cap(stream) {
		stream = AppendFrameHeader(stream, 0, len(payload))
		stream = append(stream, payload...)
	}
	body := make([]byte, 64)
	d := NewDecoder(1 << 20)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for b.Loop() {
		p := stream
		for len(p) > 0 {
			n, h, ev, err := d.Decode(p)
			if err != nil {
				b.Fatal(err)
			}
			p = p[n:]
			if ev == EventHeader {
				d.SetBody(body[:h.Size])
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(stream)/frameLen), "ns/frame")
}

func BenchmarkAppendFrameHeader(b *testing.B) {
	for _, size := range []int{64, 1 << 20} {
		b.Run(sizeName(size), func(b *testing.B) {
			buf := make([]byte, 0, 64)
			b.ReportAllocs()
			for b.Loop() {
				buf = AppendFrameHeader(buf[:0], FlagMore, size)
			}
		})
	}
}

func BenchmarkParseReady(b *testing.B) {
	data := AppendReady(nil, Dealer, []byte("identity"))[8:]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseReady(data); err != nil {
			b.Fatal(err)
		}
	}
}

func sizeName(size int) string {
	if size >= 1<<20 {
		return "1MiB"
	}
	return "64B"
}

// BenchmarkCurveHandshake is one whole CURVE handshake, both sides (ZAP
// answered at once): the cost a connection storm pays per connection.
func BenchmarkCurveHandshake(b *testing.B) {
	for b.Loop() {
		client, server := curvePair(b, testServerPublic)
		handshake(b, client, server, allowClient(b))
	}
}
