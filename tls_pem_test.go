package zring

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testCAPEM is a fresh self-signed CA certificate in PEM.
func testCAPEM(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, ca, ca, &key.PublicKey, key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// By number, the trusted CAs are what libzmq's options say: WSS_TRUST_PEM
// alone trusts its CAs alone (TRUST_SYSTEM defaults to 0), TRUST_SYSTEM 1
// adds the system's, TRUST_SYSTEM 0 alone trusts nothing.
func TestWSSTrustByNumberAsLibzmq(t *testing.T) {
	caPEM := testCAPEM(t)
	only := x509.NewCertPool()
	require.True(t, only.AppendCertsFromPEM(caPEM))
	sys, err := x509.SystemCertPool()
	require.NoError(t, err)
	withSys := sys.Clone()
	require.True(t, withSys.AppendCertsFromPEM(caPEM))

	roots := func(opts ...Option) *x509.CertPool {
		o := defaultOptions()
		for _, opt := range opts {
			require.NoError(t, opt(&o))
		}
		return o.conn.TLS.RootCAs
	}
	on, off := true, false
	assert.True(t, roots(withWSSTrust(caPEM, nil)).Equal(only), "TRUST_PEM alone: its CAs alone")
	assert.True(t, roots(withWSSTrust(caPEM, nil), withWSSTrust(nil, &on)).Equal(withSys), "and TRUST_SYSTEM 1: the system's too")
	assert.Nil(t, roots(withWSSTrust(nil, &on)), "TRUST_SYSTEM 1 alone: the system's, as crypto/tls finds them")
	assert.True(t, roots(withWSSTrust(nil, &off)).Equal(x509.NewCertPool()), "TRUST_SYSTEM 0 alone: nothing")
}
