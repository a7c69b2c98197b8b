package certs

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/nyxcore/nyxcore/app/tenant"
)

// Files of the local CA under the data dir. They are kept in backups (a
// restored server keeps the root people installed), unlike ACME
// certificates, which can simply be obtained again.
const (
	LocalCADir = "tls"
	// LocalRootFile is the root certificate (PEM) in LocalCADir.
	LocalRootFile = "root.crt"
	rootKeyPEM    = "root.key"
)

const (
	rootValidity = 10 * 365 * 24 * time.Hour
	// leafValidity stays under the 398 days browsers accept; leaves are
	// made again in memory well before they expire.
	leafValidity = 90 * 24 * time.Hour
	leafRenew    = 7 * 24 * time.Hour
	maxLeaves    = 1000
)

// LocalCA is a private certificate authority for home labs: an ECDSA P-256
// root created once in the data dir (key readable by the owner only) that
// signs a short-lived certificate for each name or address clients
// connect with. It is safe for concurrent use.
type LocalCA struct {
	root    *x509.Certificate
	key     *ecdsa.PrivateKey
	rootPEM []byte

	mu     sync.Mutex
	leaves map[string]*tls.Certificate
}

// LoadOrCreateCA loads the CA from dataDir/tls, creating it on first use.
func LoadOrCreateCA(dataDir string) (*LocalCA, error) {
	dir := filepath.Join(dataDir, LocalCADir)
	certPath, keyPath := filepath.Join(dir, LocalRootFile), filepath.Join(dir, rootKeyPEM)
	if _, err := os.Stat(keyPath); errors.Is(err, os.ErrNotExist) {
		if err := createCA(dir, certPath, keyPath); err != nil {
			return nil, err
		}
	}
	return loadCA(certPath, keyPath)
}

func createCA(dir, certPath, keyPath string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("certs: local CA: %w", err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	host, _ := os.Hostname()
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{Organization: []string{"nyxCore"}, CommonName: "nyxCore local CA " + host + " " + now.UTC().Format("2006-01-02")},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(rootValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return fmt.Errorf("certs: local CA: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	// The key goes first and exclusively, so two servers starting at once
	// on one data dir cannot end up with a certificate of the other's key.
	if err := writeNew(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		if errors.Is(err, os.ErrExist) {
			time.Sleep(100 * time.Millisecond) // the other writer finishes its certificate
			return nil
		}
		return fmt.Errorf("certs: local CA key: %w", err)
	}
	return writeNew(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
}

func writeNew(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func loadCA(certPath, keyPath string) (*LocalCA, error) {
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return nil, fmt.Errorf("certs: local CA: %w", err)
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, fmt.Errorf("certs: local CA: %w", err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("certs: local CA files in %s do not match: %w", filepath.Dir(certPath), err)
	}
	key, ok := pair.PrivateKey.(*ecdsa.PrivateKey)
	if !ok {
		return nil, errors.New("certs: local CA key is not ECDSA")
	}
	return &LocalCA{root: pair.Leaf, key: key, rootPEM: certPEM, leaves: map[string]*tls.Certificate{}}, nil
}

// RootPEM returns the root certificate, PEM-encoded.
func (ca *LocalCA) RootPEM() []byte { return ca.rootPEM }

// GetCertificate returns a leaf for the SNI name, or for the address the
// client connected to when it sent none (clients send no SNI for IPs).
func (ca *LocalCA) GetCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	name := hello.ServerName
	if name == "" && hello.Conn != nil {
		if host, _, err := net.SplitHostPort(hello.Conn.LocalAddr().String()); err == nil {
			name = host
		}
	}
	host, ok := tenant.NormalizeHost(name)
	if !ok {
		return nil, fmt.Errorf("certs: no certificate for %q", name)
	}
	return ca.leaf(host, time.Now())
}

func (ca *LocalCA) leaf(name string, now time.Time) (*tls.Certificate, error) {
	ca.mu.Lock()
	defer ca.mu.Unlock()
	if c, ok := ca.leaves[name]; ok && now.Add(leafRenew).Before(c.Leaf.NotAfter) {
		return c, nil
	}
	c, err := ca.sign(name, now)
	if err != nil {
		return nil, err
	}
	if len(ca.leaves) >= maxLeaves {
		clear(ca.leaves)
	}
	ca.leaves[name] = c
	return c, nil
}

func (ca *LocalCA) sign(name string, now time.Time) (*tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(leafValidity),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if ip := net.ParseIP(name); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	} else {
		tmpl.DNSNames = []string{name}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.root, &key.PublicKey, ca.key)
	if err != nil {
		return nil, fmt.Errorf("certs: sign %s: %w", name, err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return n
}
