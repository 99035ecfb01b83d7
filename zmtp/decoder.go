package zmtp

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Event tells the caller of Decode what completed.
type Event uint8

// Decode events.
const (
	// EventNone means the input ran out before anything completed.
	EventNone Event = iota
	// EventHeader means a frame header completed; the caller must call
	// SetBody with a buffer of exactly Header.Size bytes.
	EventHeader
	// EventFrame means the body buffer passed to SetBody is full.
	EventFrame
	// EventBodyPart means the buffer passed to SetBodyPart is full and more
	// of the body follows: call SetBodyPart or SetBody with the next piece.
	EventBodyPart
)

// step is a decoder state: it runs once the bytes armed by next have all
// arrived, and returns the event to report, if any.
type step func(d *Decoder) (Event, error)

// Decoder is a resumable ZMTP 3.x frame decoder. Input may be split at any
// byte boundary; Decode never panics on peer input and allocates only to
// build an error. Create decoders with NewDecoder; the zero Decoder is not
// ready for use.
//
// Decoding is a loop of two events per frame. When a header completes,
// Decode returns EventHeader with the header, whose size has already been
// checked against the limit; the caller allocates (or picks) a body buffer
// of exactly that size and passes it to SetBody. Decode then fills it and
// returns EventFrame once it is full. The body buffer belongs to the caller
// throughout; the decoder drops its reference on EventFrame.
//
// A caller that will not trust a peer's size enough to allocate it at once
// passes the body in pieces instead: SetBodyPart with a buffer shorter
// than the body, then, on each EventBodyPart, the next piece (the whole
// rest with SetBody). So memory follows the bytes that arrived, not the
// size that was claimed.
//
// Reserved flag bits 3-7 are tolerated and reported in Header.Flags, as
// libzmq ignores them. The long size form is accepted for any size. A
// command frame with MORE set is rejected with ErrBadFlags.
//
// After an error the decoder is broken: Decode keeps returning that error
// until Reset.
type Decoder struct {
	maxMsgSize int64   // per-frame limit in bytes; < 0 means unlimited
	buf        []byte  // destination of the bytes being read
	filled     int     // bytes of buf already read
	step       step    // runs when buf is full
	hdr        Header  // the frame being decoded
	awaitBody  bool    // EventHeader or EventBodyPart returned, no buffer given yet
	bodyLeft   uint64  // body bytes not yet given a buffer
	boundary   bool    // nothing of the next frame read yet
	inBody     bool    // buf is a body buffer the caller gave
	err        error   // sticky decoding error
	tmp        [8]byte // flags and size bytes
}

// NewDecoder returns a decoder that rejects frames larger than maxMsgSize
// bytes with ErrFrameTooLarge, like libzmq's ZMQ_MAXMSGSIZE applied to each
// frame. A negative maxMsgSize (conventionally -1) means unlimited, though
// sizes of 2^63 and above, or beyond the platform's int, are always rejected.
func NewDecoder(maxMsgSize int64) *Decoder {
	d := &Decoder{maxMsgSize: maxMsgSize}
	d.Reset()
	return d
}

// Reset returns the decoder to the start of a frame and clears any error,
// keeping the size limit.
func (d *Decoder) Reset() {
	d.hdr = Header{}
	d.awaitBody = false
	d.err = nil
	d.armFlags()
}

// AtFrameBoundary reports whether the decoder sits between frames, with
// no byte of the next frame consumed. An engine can use it to tell a clean
// end of stream from one that cut a frame short.
func (d *Decoder) AtFrameBoundary() bool {
	return d.boundary && d.filled == 0 && d.err == nil
}

// next arms the decoder to read len(buf) bytes into buf, then run s.
func (d *Decoder) next(buf []byte, s step) {
	d.buf, d.filled, d.step, d.boundary, d.inBody = buf, 0, s, false, false
}

// armFlags arms the decoder for the flags byte that starts a frame.
func (d *Decoder) armFlags() {
	d.next(d.tmp[:1], flagsReady)
	d.boundary = true
}

// Decode consumes bytes from p and returns how many it used (n), together
// with the first event that completed:
//
//   - EventHeader with the frame's header: call SetBody, then Decode
//     p[n:] (n may be short of len(p)).
//   - EventFrame with the same header: the body buffer is full. For a
//     0-byte frame this is returned by the first Decode after SetBody,
//     with n == 0.
//   - EventBodyPart with the same header: the SetBodyPart buffer is full
//     and the body goes on; give the next piece, then Decode p[n:].
//   - EventNone with n == len(p): p ran out first.
//
// Errors are ErrFrameTooLarge, ErrBadFlags, or ErrBodySize when SetBody
// was not called properly.
func (d *Decoder) Decode(p []byte) (n int, h Header, ev Event, err error) {
	if d.err != nil {
		return 0, Header{}, EventNone, d.err
	}
	if d.awaitBody {
		return 0, Header{}, EventNone, ErrBodySize
	}
	for {
		switch hn := d.wholeHeader(p[n:]); {
		case d.filled == len(d.buf):
			ev, err = d.step(d)
		case hn > 0:
			ev, err = d.header(p[n : n+hn])
			n += hn
		case n == len(p):
			return n, Header{}, EventNone, nil
		default:
			c := copy(d.buf[d.filled:], p[n:])
			d.filled += c
			n += c
			continue
		}
		if err != nil {
			d.err = err
			return n, Header{}, EventNone, err
		}
		if ev != EventNone {
			return n, d.hdr, ev, nil
		}
	}
}

// wholeHeader returns the length of the frame header at the start of p if
// the decoder is at a frame boundary and p holds all of it, else 0. It
// lets Decode skip the byte-at-a-time states on the common path.
func (d *Decoder) wholeHeader(p []byte) int {
	if !d.boundary || d.filled != 0 || len(p) < shortHeaderLen {
		return 0
	}
	hn := shortHeaderLen
	if p[0]&FlagLong != 0 {
		hn = longHeaderLen
	}
	if len(p) < hn {
		return 0
	}
	return hn
}

// Whole is Decode's fast path for a frame that has arrived entirely. At a
// frame boundary, when p starts with a complete, valid frame (header and
// body), it returns that frame's header and the header's length hn: the
// body is p[hn:hn+h.Size], which the caller copies or keeps. The decoder's
// state does not change, so the caller just goes on after the frame. ok is
// false, leaving everything to Decode, in every other case: mid-frame,
// after an error, a frame not wholly in p, or a header Decode would reject
// (so that Decode reports the error).
func (d *Decoder) Whole(p []byte) (h Header, hn int, ok bool) {
	if hn = d.wholeHeader(p); hn == 0 || d.err != nil {
		return Header{}, 0, false
	}
	flags, size := p[0], headerSize(p[:hn])
	// Comparing against what is left of p bounds size before any
	// conversion: a frame this long has arrived, so it fits an int.
	if size > uint64(len(p)-hn) || d.overLimit(size) || commandWithMore(flags) {
		return Header{}, 0, false
	}
	return Header{Flags: flags, Size: size}, hn, true
}

// headerSize reads the size field of a complete frame header h.
func headerSize(h []byte) uint64 {
	if len(h) == longHeaderLen {
		return binary.BigEndian.Uint64(h[1:])
	}
	return uint64(h[1])
}

// header decodes a complete frame header in one go.
func (d *Decoder) header(h []byte) (Event, error) {
	if err := d.setFlags(h[0]); err != nil {
		return EventNone, err
	}
	return d.sizeReady(headerSize(h))
}

// SetBody hands the decoder the buffer for the body announced by the last
// EventHeader, or for the rest of it after an EventBodyPart. len(buf) must
// equal the bytes still to come (the header's Size if no part was given);
// otherwise the next Decode returns ErrBodySize and SetBody may be called
// again.
func (d *Decoder) SetBody(buf []byte) {
	if !d.awaitBody || uint64(len(buf)) != d.bodyLeft {
		return
	}
	d.setBody(buf)
}

// SetBodyPart hands the decoder a buffer for the next len(buf) bytes of the
// body, which may be fewer than are still to come: Decode then returns
// EventBodyPart when buf is full, or EventFrame if buf held the rest. buf
// must not be empty unless the body is, nor longer than what is still to
// come; otherwise the next Decode returns ErrBodySize.
func (d *Decoder) SetBodyPart(buf []byte) {
	if !d.awaitBody || uint64(len(buf)) > d.bodyLeft || (len(buf) == 0 && d.bodyLeft > 0) {
		return
	}
	d.setBody(buf)
}

func (d *Decoder) setBody(buf []byte) {
	d.awaitBody = false
	d.bodyLeft -= uint64(len(buf))
	d.next(buf, bodyReady)
	d.inBody = true
}

// BodySpace returns the part of the body buffer (SetBody, SetBodyPart)
// still to be filled, for a caller that reads the body's bytes into it
// straight from the wire instead of passing them to Decode: a large body
// then skips a copy. It is nil at any other point, and after an error.
// The caller reports the bytes it wrote at the start of the space with
// Filled, then calls Decode as usual (an empty p completes the body).
func (d *Decoder) BodySpace() []byte {
	if !d.inBody || d.err != nil {
		return nil
	}
	return d.buf[d.filled:]
}

// Filled records that the first n bytes of BodySpace were written. An n
// outside [0, len(BodySpace())] is ignored.
func (d *Decoder) Filled(n int) {
	if n >= 0 && n <= len(d.BodySpace()) {
		d.filled += n
	}
}

// flagsReady reads the flags byte and arms the size field.
func flagsReady(d *Decoder) (Event, error) {
	flags := d.tmp[0]
	if err := d.setFlags(flags); err != nil {
		return EventNone, err
	}
	if flags&FlagLong != 0 {
		d.next(d.tmp[:8], longSizeReady)
	} else {
		d.next(d.tmp[:1], shortSizeReady)
	}
	return EventNone, nil
}

// setFlags validates a flags byte and starts a new header with it.
func (d *Decoder) setFlags(flags byte) error {
	if commandWithMore(flags) {
		return fmt.Errorf("%w: COMMAND with MORE (%#02x)", ErrBadFlags, flags)
	}
	d.hdr = Header{Flags: flags}
	return nil
}

// commandWithMore reports the one invalid flags combination: a COMMAND
// frame with MORE set.
func commandWithMore(flags byte) bool { return flags&FlagCommand != 0 && flags&FlagMore != 0 }

// overLimit reports whether a frame of size bytes breaks the MAXMSGSIZE
// limit.
func (d *Decoder) overLimit(size uint64) bool {
	return d.maxMsgSize >= 0 && size > uint64(d.maxMsgSize)
}

// shortSizeReady reads a 1-byte size.
func shortSizeReady(d *Decoder) (Event, error) {
	return d.sizeReady(uint64(d.tmp[0]))
}

// longSizeReady reads an 8-byte size.
func longSizeReady(d *Decoder) (Event, error) {
	return d.sizeReady(binary.BigEndian.Uint64(d.tmp[:8]))
}

// sizeReady checks the size against the limits before anyone allocates,
// then waits for SetBody.
func (d *Decoder) sizeReady(size uint64) (Event, error) {
	if size > math.MaxInt || size > maxFrameSize {
		return EventNone, fmt.Errorf("%w: %d bytes", ErrFrameTooLarge, size)
	}
	if d.overLimit(size) {
		return EventNone, fmt.Errorf("%w: %d bytes, limit %d", ErrFrameTooLarge, size, d.maxMsgSize)
	}
	d.hdr.Size = size
	d.bodyLeft = size
	d.awaitBody = true
	d.next(nil, nil)
	return EventHeader, nil
}

// bodyReady reports a filled body piece: the completed frame, rearming for
// the next header, or a part with more to come.
func bodyReady(d *Decoder) (Event, error) {
	if d.bodyLeft > 0 {
		d.awaitBody = true
		d.next(nil, nil)
		return EventBodyPart, nil
	}
	d.armFlags()
	return EventFrame, nil
}
