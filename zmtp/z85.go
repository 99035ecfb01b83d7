package zmtp

import (
	"encoding/binary"
	"fmt"
)

// z85Alphabet is RFC 32's alphabet: digit i of a base-85 number is
// z85Alphabet[i].
const z85Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"

// z85Digits maps a character back to its digit, or 0xFF outside the
// alphabet.
var z85Digits = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	for i := range len(z85Alphabet) {
		t[z85Alphabet[i]] = byte(i)
	}
	return t
}()

// Z85EncodedLen returns the length of the Z85 text for n bytes (n a multiple
// of 4): 5 characters per 4 bytes.
func Z85EncodedLen(n int) int { return n / 4 * 5 }

// AppendZ85 appends the Z85 text (RFC 32) of src, whose length must be a
// multiple of 4; otherwise it returns dst unchanged and ErrZ85. Each 4
// bytes, read big-endian, become 5 characters, most significant first: a
// 32-byte CURVE key becomes 40 characters.
func AppendZ85(dst, src []byte) ([]byte, error) {
	if len(src)%4 != 0 {
		return dst, fmt.Errorf("%w: %d bytes is not a multiple of 4", ErrZ85, len(src))
	}
	for ; len(src) > 0; src = src[4:] {
		v := binary.BigEndian.Uint32(src)
		var d [5]byte
		for i := 4; i >= 0; i-- {
			d[i] = z85Alphabet[v%85]
			v /= 85
		}
		dst = append(dst, d[:]...)
	}
	return dst, nil
}

// Z85Encode returns the Z85 text of src, whose length must be a multiple
// of 4.
func Z85Encode(src []byte) (string, error) {
	b, err := AppendZ85(make([]byte, 0, Z85EncodedLen(len(src))), src)
	return string(b), err
}

// AppendZ85Decode appends the bytes that the Z85 text s encodes. Like
// libzmq it rejects (with ErrZ85, dst unchanged) an empty text or one whose
// length is not a multiple of 5, a character outside the alphabet, and a
// group of 5 characters worth more than 0xFFFFFFFF.
func AppendZ85Decode(dst []byte, s string) ([]byte, error) {
	if len(s) == 0 || len(s)%5 != 0 {
		return dst, fmt.Errorf("%w: length %d is not a positive multiple of 5", ErrZ85, len(s))
	}
	out := dst
	for i := 0; i < len(s); i += 5 {
		var v uint64
		for j := i; j < i+5; j++ {
			d := z85Digits[s[j]]
			if d == 0xFF {
				return dst, fmt.Errorf("%w: character %q at %d", ErrZ85, s[j], j)
			}
			v = v*85 + uint64(d)
		}
		if v > 0xFFFFFFFF {
			return dst, fmt.Errorf("%w: group at %d overflows 32 bits", ErrZ85, i)
		}
		out = binary.BigEndian.AppendUint32(out, uint32(v))
	}
	return out, nil
}

// Z85Decode returns the bytes that the Z85 text s encodes; see
// AppendZ85Decode for what is rejected.
func Z85Decode(s string) ([]byte, error) {
	return AppendZ85Decode(make([]byte, 0, len(s)/5*4), s)
}
