package zmq4

import (
	"crypto/subtle"
	"errors"
	"log"
	"net"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/zring/zring"
)

/*
The authentication handler (AuthStart ...) answers the ZAP requests (RFC
27) of the servers in the default context, as pebbe/zmq4's does, in the
manner of CZMQ's zauth: domains scope every rule, allow and deny lists take
single addresses or CIDR networks, PLAIN users and CURVE keys are held in
memory, and a metadata handler can give each accepted client a User-Id and
properties.

It is the adapter's own handler on a zring REP socket, not a
zring.Authenticator: that one has neither domain-scoped nor CIDR address
rules nor a metadata hook, which pebbe/zmq4's programs use. Two
differences from pebbe/zmq4, both on the safe side: a PLAIN user must be in
the table (pebbe/zmq4 accepts an unknown user with an empty password), and
verbose mode never logs a password.
*/

// CURVE_ALLOW_ANY is the key that, given to AuthCurveAdd, accepts every
// CURVE client of the domain.
const CURVE_ALLOW_ANY = "*"

// zapEndpoint is where ZAP handlers bind (RFC 27).
const zapEndpoint = "inproc://zeromq.zap.01"

var (
	authRun struct {
		mu      sync.Mutex // serialises AuthStart and AuthStop
		handler *Socket    // nil when not running
		done    chan struct{}
	}
	authVerbose atomic.Bool

	authMu       sync.RWMutex
	authAllowIP  = map[string]map[string]bool{} // domain → address; guarded by authMu
	authDenyIP   = map[string]map[string]bool{}
	authAllowNet = map[string][]*net.IPNet{}
	authDenyNet  = map[string][]*net.IPNet{}
	authUsers    = map[string]map[string]string{} // domain → user → password
	authKeys     = map[string]map[string]bool{}   // domain → Z85 key, or CURVE_ALLOW_ANY
	authMeta     = authMetaDefault
)

func authMetaDefault(version, request_id, domain, address, identity, mechanism string, credentials ...string) (metadata map[string]string) {
	return map[string]string{}
}

func authLog(format string, args ...any) {
	if authVerbose.Load() {
		log.Printf("AUTH: "+format, args...)
	}
}

// AuthStart starts the authentication handler in the default context.
// Until policies are added, NULL clients are accepted (classic ZeroMQ
// behaviour) and PLAIN and CURVE clients refused. It fails if it is
// already running, or another ZAP handler is bound in the default context.
func AuthStart() (err error) {
	authRun.mu.Lock()
	defer authRun.mu.Unlock()
	if authRun.handler != nil {
		authLog("Already running")
		return errors.New("Auth is already running")
	}
	h, err := NewSocket(REP)
	if err != nil {
		return err
	}
	_ = h.SetLinger(0)
	if err := h.Bind(zapEndpoint); err != nil {
		h.Close()
		return err
	}
	authRun.handler, authRun.done = h, make(chan struct{})
	go authServe(h.s.zs, authRun.done)
	authLog("Starting")
	return nil
}

// AuthStop stops the authentication handler and waits until it is done.
func AuthStop() {
	authRun.mu.Lock()
	defer authRun.mu.Unlock()
	if authRun.handler == nil {
		authLog("Not running, can't stop")
		return
	}
	authLog("Stopping")
	if err := authRun.handler.Close(); err != nil {
		authLog("Stopping: Close: %v", err)
	}
	<-authRun.done
	authRun.handler, authRun.done = nil, nil
	authLog("Stopped")
}

// authServe answers ZAP requests until the handler socket closes.
func authServe(zs *zring.Socket, done chan<- struct{}) {
	defer close(done)
	for {
		req, err := zs.RecvMulti(0)
		if err != nil {
			authLog("Quitting: %v", errget(err))
			return
		}
		if err := zs.SendMulti(authAnswer(req), 0); err != nil {
			authLog("Quitting: %v", errget(err))
			return
		}
	}
}

// authAnswer is the reply to one ZAP request, without the delimiter REP
// adds: version, request id, status code and text, user id, metadata.
func authAnswer(req [][]byte) [][]byte {
	reply := func(id []byte, status int, text, user string, meta []byte) [][]byte {
		return [][]byte{[]byte("1.0"), id, []byte(strconv.Itoa(status)), []byte(text), []byte(user), meta}
	}
	if len(req) < 6 || string(req[0]) != "1.0" {
		var id []byte
		if len(req) > 1 {
			id = req[1]
		}
		authLog("DENIED (malformed request of %d frames)", len(req))
		return reply(id, 500, "malformed request", "", nil)
	}
	version, id := string(req[0]), req[1]
	domain, address, identity, mechanism := string(req[2]), string(req[3]), string(req[4]), string(req[5])
	creds := make([]string, len(req)-6)
	for i, c := range req[6:] {
		creds[i] = string(c)
	}

	authMu.RLock()
	ok := authDecide(domain, address, mechanism, creds)
	meta := authMeta
	authMu.RUnlock()
	if !ok {
		return reply(id, 400, "NO ACCESS", "", nil)
	}
	if meta == nil {
		meta = authMetaDefault
	}
	m := meta(version, string(id), domain, address, identity, mechanism, creds...)
	user := m["User-Id"]
	keys := make([]string, 0, len(m))
	for k := range m {
		if k != "User-Id" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var blob []byte
	for _, k := range keys {
		if !validPropertyName(k) {
			authLog("metadata property %q left out: not a ZMTP property name", k)
			continue
		}
		blob = append(blob, authMetaBlob(k, m[k])...)
	}
	return reply(id, 200, "OK", user, blob)
}

// authDecide applies the rules to one request; authMu is read-locked.
// With an allow list for the domain (or "*"), only its addresses pass;
// else with a deny list, its addresses are refused. NULL is then accepted;
// PLAIN and CURVE must also present known credentials.
func authDecide(domain, address, mechanism string, creds []string) bool {
	allowed, denied := false, false
	switch {
	case authHas(authAllowIP, authAllowNet, domain):
		if authMatch(authAllowIP, authAllowNet, domain, address) {
			allowed = true
			authLog("PASSED (whitelist) domain=%q address=%q", domain, address)
		} else {
			denied = true
			authLog("DENIED (not in whitelist) domain=%q address=%q", domain, address)
		}
	case authHas(authDenyIP, authDenyNet, domain):
		if authMatch(authDenyIP, authDenyNet, domain, address) {
			denied = true
			authLog("DENIED (blacklist) domain=%q address=%q", domain, address)
		} else {
			allowed = true
			authLog("PASSED (not in blacklist) domain=%q address=%q", domain, address)
		}
	}
	if denied {
		return false
	}
	switch mechanism {
	case "NULL":
		if !allowed {
			authLog("ALLOWED (NULL)")
		}
		return true
	case "PLAIN":
		return len(creds) >= 2 && authPlain(domain, creds[0], creds[1])
	case "CURVE":
		return len(creds) >= 1 && len(creds[0]) == 32 && authCurve(domain, Z85encode(creds[0]))
	}
	authLog("DENIED (mechanism %q) domain=%q", mechanism, domain)
	return false
}

// authDomains are where a domain's rules are looked up: its own, then "*".
func authDomains(domain string) []string { return []string{domain, "*"} }

func authHas(ips map[string]map[string]bool, nets map[string][]*net.IPNet, domain string) bool {
	for _, d := range authDomains(domain) {
		if len(ips[d]) > 0 || len(nets[d]) > 0 {
			return true
		}
	}
	return false
}

func authMatch(ips map[string]map[string]bool, nets map[string][]*net.IPNet, domain, address string) bool {
	ip := net.ParseIP(address)
	for _, d := range authDomains(domain) {
		if ips[d][address] {
			return true
		}
		for _, n := range nets[d] {
			if ip != nil && n.Contains(ip) {
				return true
			}
		}
	}
	return false
}

func authPlain(domain, user, password string) bool {
	for _, d := range authDomains(domain) {
		if p, ok := authUsers[d][user]; ok && subtle.ConstantTimeCompare([]byte(p), []byte(password)) == 1 {
			authLog("ALLOWED (PLAIN) domain=%q username=%q", d, user)
			return true
		}
	}
	authLog("DENIED (PLAIN) domain=%q username=%q", domain, user)
	return false
}

func authCurve(domain, key string) bool {
	for _, d := range authDomains(domain) {
		if authKeys[d][CURVE_ALLOW_ANY] {
			authLog("ALLOWED (CURVE any client) domain=%q", d)
			return true
		}
		if authKeys[d][key] {
			authLog("ALLOWED (CURVE) domain=%q client_key=%q", d, key)
			return true
		}
	}
	authLog("DENIED (CURVE) domain=%q client_key=%q", domain, key)
	return false
}

// isAddress reports whether s is an IP address or a CIDR network.
func isAddress(s string) bool {
	if net.ParseIP(s) != nil {
		return true
	}
	_, _, err := net.ParseCIDR(s)
	return err == nil
}

// authAddresses adds addresses to a domain's list: the rule of AuthAllow
// and AuthDeny.
func authAddresses(kind string, ips map[string]map[string]bool, nets map[string][]*net.IPNet, domain string, addresses []string) {
	if isAddress(domain) {
		// pebbe/zmq4's older form: every argument an address, for all
		// domains.
		addresses = append([]string{domain}, addresses...)
		domain = "*"
	}
	authMu.Lock()
	defer authMu.Unlock()
	if ips[domain] == nil {
		ips[domain] = map[string]bool{}
	}
	for _, a := range addresses {
		if _, n, err := net.ParseCIDR(a); err == nil {
			nets[domain] = append(nets[domain], n)
		} else if net.ParseIP(a) != nil {
			ips[domain][a] = true
		} else {
			authLog("%s for domain %q: %q is not a valid address or network", kind, domain, a)
		}
	}
}

/*
AuthAllow allows (whitelists) addresses for a domain: single IP addresses,
or networks in CIDR notation. For NULL, clients from these addresses are
accepted; PLAIN and CURVE clients from them go on to authenticate. Once a
domain has an allow list, other addresses are refused in it. Domain "*"
is every domain. If domain is itself an address, it and the others are
allowed for every domain (pebbe/zmq4's older form).
*/
func AuthAllow(domain string, addresses ...string) {
	authAddresses("Allow", authAllowIP, authAllowNet, domain, addresses)
}

/*
AuthDeny denies (blacklists) addresses for a domain, as AuthAllow takes
them: their clients are refused with no further authentication. A domain
with an allow list ignores its deny list.
*/
func AuthDeny(domain string, addresses ...string) {
	authAddresses("Deny", authDenyIP, authDenyNet, domain, addresses)
}

// AuthPlainAdd adds a PLAIN user for a domain ("*": every domain).
func AuthPlainAdd(domain, username, password string) {
	authMu.Lock()
	defer authMu.Unlock()
	if authUsers[domain] == nil {
		authUsers[domain] = map[string]string{}
	}
	authUsers[domain][username] = password
}

// AuthPlainRemove removes PLAIN users from a domain.
func AuthPlainRemove(domain string, usernames ...string) {
	authMu.Lock()
	defer authMu.Unlock()
	for _, u := range usernames {
		delete(authUsers[domain], u)
	}
}

// AuthPlainRemoveAll removes every PLAIN user of a domain.
func AuthPlainRemoveAll(domain string) {
	authMu.Lock()
	defer authMu.Unlock()
	delete(authUsers, domain)
}

// curveKeyText is a key as the handler compares it: Z85, whether given as
// Z85 or as 32 bytes; CURVE_ALLOW_ANY and text that is no key stay as
// they are.
func curveKeyText(k string) string {
	if k == CURVE_ALLOW_ANY {
		return k
	}
	if key, err := zring.ParseCurveKey(k); err == nil {
		return key.Z85()
	}
	return k
}

// AuthCurveAdd adds CURVE client public keys, in Z85, for a domain ("*":
// every domain). CURVE_ALLOW_ANY as a key accepts every client.
func AuthCurveAdd(domain string, pubkeys ...string) {
	authMu.Lock()
	defer authMu.Unlock()
	if authKeys[domain] == nil {
		authKeys[domain] = map[string]bool{}
	}
	for _, k := range pubkeys {
		authKeys[domain][curveKeyText(k)] = true
	}
}

// AuthCurveRemove removes CURVE client keys from a domain.
func AuthCurveRemove(domain string, pubkeys ...string) {
	authMu.Lock()
	defer authMu.Unlock()
	for _, k := range pubkeys {
		delete(authKeys[domain], curveKeyText(k))
	}
}

// AuthCurveRemoveAll removes every CURVE client key of a domain.
func AuthCurveRemoveAll(domain string) {
	authMu.Lock()
	defer authMu.Unlock()
	delete(authKeys, domain)
}

// AuthSetVerbose logs the handler's decisions (with the standard log
// package), never a password.
func AuthSetVerbose(verbose bool) {
	authVerbose.Store(verbose)
}

/*
AuthSetMetadataHandler sets the function the handler calls for each
accepted client, with the request's fields (RFC 27), for the properties
of its reply: "User-Id" becomes the user id (the User-Id property of the
client's messages), the others the reply's metadata, which the client's
messages carry too (RecvWithMetadata). The default handler returns an
empty map; nil restores it.
*/
func AuthSetMetadataHandler(
	handler func(
		version, request_id, domain, address, identity, mechanism string, credentials ...string) (metadata map[string]string)) {
	authMu.Lock()
	defer authMu.Unlock()
	authMeta = handler
}

// AuthMetaBlob encodes a property as a ZAP handler's metadata frame holds
// it. A key longer than 255 bytes is an error.
func AuthMetaBlob(key, value string) (blob []byte, err error) {
	if len(key) > 255 {
		return []byte{}, errors.New("Key too long")
	}
	return authMetaBlob(key, value), nil
}

// authMetaBlob is one ZMTP property: name length, name, value length (4
// bytes, big-endian), value.
func authMetaBlob(name, value string) []byte {
	b := make([]byte, 0, 5+len(name)+len(value))
	b = append(b, byte(len(name)))
	b = append(b, name...)
	n := len(value)
	b = append(b, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	return append(b, value...)
}

// validPropertyName reports whether name may be a ZMTP property name:
// 1 to 255 of the characters RFC 37 allows.
func validPropertyName(name string) bool {
	if len(name) == 0 || len(name) > 255 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '+'
		if !ok {
			return false
		}
	}
	return true
}

// ServerAuthNull makes the socket a NULL server of a ZAP domain.
func (server *Socket) ServerAuthNull(domain string) error {
	err := server.SetPlainServer(0)
	if err == nil {
		err = server.SetZapDomain(domain)
	}
	return err
}

// ServerAuthPlain makes the socket a PLAIN server of a ZAP domain.
func (server *Socket) ServerAuthPlain(domain string) error {
	err := server.SetPlainServer(1)
	if err == nil {
		err = server.SetZapDomain(domain)
	}
	return err
}

// ServerAuthCurve makes the socket a CURVE server of a ZAP domain, with
// its secret key in Z85.
func (server *Socket) ServerAuthCurve(domain, secret_key string) error {
	err := server.SetCurveServer(1)
	if err == nil {
		err = server.SetCurveSecretkey(secret_key)
	}
	if err == nil {
		err = server.SetZapDomain(domain)
	}
	return err
}

// ClientAuthPlain makes the socket a PLAIN client.
func (client *Socket) ClientAuthPlain(username, password string) error {
	err := client.SetPlainUsername(username)
	if err == nil {
		err = client.SetPlainPassword(password)
	}
	return err
}

// ClientAuthCurve makes the socket a CURVE client of the server with that
// public key, with its own keys; all three in Z85.
func (client *Socket) ClientAuthCurve(server_public_key, client_public_key, client_secret_key string) error {
	err := client.SetCurveServerkey(server_public_key)
	if err == nil {
		err = client.SetCurvePublickey(client_public_key)
	}
	if err == nil {
		err = client.SetCurveSecretkey(client_secret_key)
	}
	return err
}
