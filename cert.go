package zring

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Certificate is a CURVE keypair with metadata, stored as CZMQ's zcert and
// pyzmq's zmq.auth write it: a public file ("name.key", with the public key
// only, to hand out) and a secret file (the same name plus "_secret", with
// both keys, mode 0600). The files are ZPL text (RFC 4):
//
//	metadata
//	    name = "alice"
//	curve
//	    public-key = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"
//	    secret-key = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs"
//
// Its String and slog form never show the secret key (CurveKey's do not).
type Certificate struct {
	Public CurveKey
	Secret CurveKey // the zero key for a certificate loaded from a public file
	// Metadata are the certificate's "metadata" entries, such as name or
	// email, kept in both files.
	Metadata map[string]string
}

// NewCertificate makes a certificate with a fresh keypair.
func NewCertificate() (*Certificate, error) {
	pub, sec, err := NewCurveKeypair()
	if err != nil {
		return nil, err
	}
	return &Certificate{Public: pub, Secret: sec, Metadata: map[string]string{}}, nil
}

// HasSecret reports whether the certificate holds its secret key.
func (c *Certificate) HasSecret() bool { return c.Secret != CurveKey{} }

// String names the public key's fingerprint and the metadata names.
func (c *Certificate) String() string {
	return fmt.Sprintf("Certificate(%v, secret=%v, metadata=%v)", c.Public, c.HasSecret(), slices.Sorted(maps.Keys(c.Metadata)))
}

// Save writes the public file at path and, when the certificate holds its
// secret key, the secret file at path+"_secret" (mode 0600), as zcert_save
// does.
func (c *Certificate) Save(path string) error {
	if err := c.SavePublic(path); err != nil {
		return err
	}
	if !c.HasSecret() {
		return nil
	}
	return c.SaveSecret(path + "_secret")
}

// SavePublic writes the public file only: what peers may see.
func (c *Certificate) SavePublic(path string) error {
	return c.write(path, false, 0o644)
}

// SaveSecret writes the secret file only, mode 0600.
func (c *Certificate) SaveSecret(path string) error {
	if !c.HasSecret() {
		return fmt.Errorf("%w: certificate without a secret key", ErrInvalid)
	}
	return c.write(path, true, 0o600)
}

func (c *Certificate) write(path string, secret bool, mode os.FileMode) error {
	var b bytes.Buffer
	kind := "Public"
	if secret {
		kind = "**Secret**"
	}
	fmt.Fprintf(&b, "#   ****  Generated on %s by zring  ****\n", time.Now().UTC().Format("2006-01-02 15:04:05"))
	fmt.Fprintf(&b, "#   ZeroMQ CURVE %s Certificate\n", kind)
	if secret {
		b.WriteString("#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n")
	} else {
		b.WriteString("#   Exchange securely, or use a secure mechanism to verify the contents\n#   of this file after exchange.\n")
	}
	b.WriteString("\nmetadata\n")
	for _, k := range slices.Sorted(maps.Keys(c.Metadata)) {
		fmt.Fprintf(&b, "    %s = %q\n", k, c.Metadata[k])
	}
	b.WriteString("curve\n")
	fmt.Fprintf(&b, "    public-key = %q\n", c.Public.Z85())
	if secret {
		fmt.Fprintf(&b, "    secret-key = %q\n", c.Secret.Z85())
	}
	// Write then rename, so a reader never sees half a file, and the
	// mode holds from the first byte.
	if err := writeFileAtomic(path, b.Bytes(), mode); err != nil {
		return fmt.Errorf("zring: save certificate %s: %w", path, err)
	}
	return nil
}

func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".zcert-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	err = tmp.Chmod(mode)
	if err == nil {
		_, err = tmp.Write(data)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	return err
}

// LoadCertificate reads a public or a secret certificate file.
func LoadCertificate(path string) (*Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("zring: load certificate %s: %w", path, err)
	}
	c, err := parseCertificate(data)
	if err != nil {
		return nil, fmt.Errorf("zring: load certificate %s: %w", path, err)
	}
	return c, nil
}

// maxCertBytes bounds a certificate file: real ones are a few hundred
// bytes.
const maxCertBytes = 64 << 10

// parseCertificate reads ZPL: sections at column 0, "name = value" one
// level (four spaces) in, comments after '#'.
func parseCertificate(data []byte) (*Certificate, error) {
	if len(data) > maxCertBytes {
		return nil, fmt.Errorf("%w: over %d bytes", ErrInvalid, maxCertBytes)
	}
	c := &Certificate{Metadata: map[string]string{}}
	var section string
	var havePublic bool
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), " \t\r")
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			section = strings.TrimSpace(line)
			continue
		}
		name, value, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok {
			return nil, fmt.Errorf("%w: line %d is not name = value", ErrInvalid, n)
		}
		name, value = strings.TrimSpace(name), unquote(strings.TrimSpace(value))
		switch {
		case section == "metadata":
			c.Metadata[name] = value
		case section == "curve" && (name == "public-key" || name == "secret-key"):
			k, err := ParseCurveKey(value)
			if err != nil {
				return nil, fmt.Errorf("line %d: %s: %w", n, name, err)
			}
			if name == "public-key" {
				c.Public, havePublic = k, true
			} else {
				c.Secret = k
			}
		}
	}
	if !havePublic {
		return nil, fmt.Errorf("%w: no curve public-key", ErrInvalid)
	}
	if c.HasSecret() && CurvePublicKey(c.Secret) != c.Public {
		return nil, fmt.Errorf("%w: the secret key is not the public key's", ErrInvalid)
	}
	return c, nil
}

// unquote strips ZPL's double or single quotes.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// LoadCertificates reads the public keys of every certificate in dir, as
// pyzmq's load_certificates does: each regular file that parses, secret
// files ("*_secret") left out. A file that does not parse is an error
// naming it.
func LoadCertificates(dir string) ([]CurveKey, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("zring: load certificates %s: %w", dir, err)
	}
	var keys []CurveKey
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasSuffix(e.Name(), "_secret") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		c, err := LoadCertificate(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		keys = append(keys, c.Public)
	}
	return keys, nil
}
