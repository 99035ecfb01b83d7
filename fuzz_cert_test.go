package zring

import "testing"

// FuzzCertificate: whatever a certificate file holds, parsing ends without
// a panic, and a secret key it accepts is always its public key's.
func FuzzCertificate(f *testing.F) {
	c, err := NewCertificate()
	if err != nil {
		f.Fatal(err)
	}
	c.Metadata["name"] = "x"
	f.Add([]byte("metadata\n    name = \"x\"\ncurve\n    public-key = \"" + c.Public.Z85() + "\"\n    secret-key = \"" + c.Secret.Z85() + "\"\n"))
	f.Add([]byte("curve\n\tpublic-key = '" + c.Public.Z85() + "'\n"))
	f.Add([]byte("# comment\ncurve\n    public-key=\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := parseCertificate(data)
		if err != nil {
			return
		}
		if got.HasSecret() && CurvePublicKey(got.Secret) != got.Public {
			t.Fatalf("accepted a secret key of another public key")
		}
	})
}
