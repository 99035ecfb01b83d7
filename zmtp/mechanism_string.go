package zmtp

import (
	"fmt"
	"io"
	"log/slog"
)

// Printing mechanisms and CURVE codecs. They hold passwords, long-term and
// transient secret keys and session keys, which fmt's default %v, %+v and
// %#v would print; every verb and slog show instead only what they are.

// String names the mechanism and its role.
func (p *Plain) String() string { return "zmtp.Plain" }

// Format prints String for every verb, so no verb shows the password.
func (p *Plain) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, p.String()) }

// LogValue is String, for slog.
func (p *Plain) LogValue() slog.Value { return slog.StringValue(p.String()) }

// String names the mechanism, its role and its public keys' fingerprints.
func (c *Curve) String() string {
	role := "client"
	if c.server {
		role = "server"
	}
	return fmt.Sprintf("zmtp.Curve(%s, public %v)", role, c.keys.Public)
}

// Format prints String for every verb, so no verb shows a secret key.
func (c *Curve) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue is String, for slog.
func (c *Curve) LogValue() slog.Value { return slog.StringValue(c.String()) }

// String shows the next nonce, never the session key.
func (s *CurveSealer) String() string { return fmt.Sprintf("zmtp.CurveSealer(next nonce %d)", s.nonce) }

// Format prints String for every verb.
func (s *CurveSealer) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, s.String()) }

// String shows the last nonce, never the session key.
func (o *CurveOpener) String() string { return fmt.Sprintf("zmtp.CurveOpener(last nonce %d)", o.last) }

// Format prints String for every verb.
func (o *CurveOpener) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, o.String()) }
