package zring

import (
	"fmt"
	"io"
	"log/slog"
)

// Printing an Authenticator: its fields hold PLAIN passwords, so fmt's
// verbs and log/slog show only how many rules it has.

// String returns "Authenticator(allow=A deny=D plain_users=U curve_keys=K)",
// counts only: no addresses, users, passwords or keys.
func (a *Authenticator) String() string {
	if a == nil {
		return "Authenticator(nil)"
	}
	allow, deny, users, keys := a.counts()
	return fmt.Sprintf("Authenticator(allow=%d deny=%d plain_users=%d curve_keys=%d)", allow, deny, users, keys)
}

// GoString is String, so %#v does not print the passwords.
func (a *Authenticator) GoString() string { return a.String() }

// Format prints String for every verb.
func (a *Authenticator) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, a.String()) }

// LogValue groups the rule counts for log/slog.
func (a *Authenticator) LogValue() slog.Value {
	if a == nil {
		return slog.StringValue("nil")
	}
	allow, deny, users, keys := a.counts()
	return slog.GroupValue(slog.Int("allow", allow), slog.Int("deny", deny),
		slog.Int("plain_users", users), slog.Int("curve_keys", keys))
}

func (a *Authenticator) counts() (allow, deny, users, keys int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, u := range a.passwords {
		users += len(u)
	}
	for _, k := range a.curveKeys {
		keys += len(k)
	}
	return len(a.allow), len(a.deny), users, keys
}
