package backup

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/nyxcore/nyxcore/app/secret"
)

// An encrypted backup is the plain backup zip sealed in chunks:
//
//	magic "NYXBAK\x00\x01" | uint32 header length | header JSON | chunks
//
// The header names the master key and holds a fresh data key wrapped by it.
// Each chunk is AES-256-GCM under that data key with the nonce
// (8-byte counter, 3 zero bytes, 1 byte "last") and the SHA-256 of the
// header as additional data, so a changed header, a reordered, altered or
// dropped chunk, and a cut-off file all fail to open.
var magic = []byte("NYXBAK\x00\x01")

const (
	chunkSize    = 1 << 20
	maxHeaderLen = 64 << 10
)

// ErrCorrupt reports a backup that fails verification: truncated, altered
// or not a nyxCore backup at all.
var ErrCorrupt = errors.New("backup: the backup file is corrupt, truncated or was tampered with")

type cryptHeader struct {
	MasterID  string    `json:"master_id"`
	KeyID     string    `json:"key_id"`
	Wrapped   string    `json:"wrapped"`
	CreatedAt time.Time `json:"created_at"`
}

// IsEncrypted reports whether the start of a backup file is the encrypted format.
func IsEncrypted(head []byte) bool {
	return len(head) >= len(magic) && string(head[:len(magic)]) == string(magic)
}

// Encrypt seals everything from r into w with a new data key wrapped by master.
func Encrypt(w io.Writer, r io.Reader, master *secret.Master) error {
	key, err := secret.NewKey()
	if err != nil {
		return err
	}
	wrapped, err := master.WrapKey(key)
	if err != nil {
		return err
	}
	header, err := json.Marshal(cryptHeader{MasterID: master.ID(), KeyID: key.ID, Wrapped: wrapped, CreatedAt: key.CreatedAt})
	if err != nil {
		return err
	}
	aead, err := newGCM(key.Material)
	if err != nil {
		return err
	}
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(header)))
	if _, err := w.Write(append(append(append([]byte{}, magic...), n[:]...), header...)); err != nil {
		return fmt.Errorf("backup: encrypt: %w", err)
	}
	ad := sha256.Sum256(header)
	buf := make([]byte, chunkSize)
	br := bufio.NewReaderSize(r, chunkSize)
	for counter := uint64(0); ; counter++ {
		k, err := io.ReadFull(br, buf)
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return fmt.Errorf("backup: encrypt: %w", err)
		}
		last := k < chunkSize
		if !last {
			if _, perr := br.Peek(1); perr == io.EOF {
				last = true
			}
		}
		if _, err := w.Write(aead.Seal(nil, nonce(counter, last), buf[:k], ad[:])); err != nil {
			return fmt.Errorf("backup: encrypt: %w", err)
		}
		if last {
			return nil
		}
	}
}

// Decrypt opens an encrypted backup from r into w. A backup sealed under
// another master key, or one that was altered or cut off, is an error and
// w may hold a partial plaintext the caller must discard.
func Decrypt(w io.Writer, r io.Reader, master *secret.Master) error {
	br := bufio.NewReaderSize(r, chunkSize+64)
	head := make([]byte, len(magic)+4)
	if _, err := io.ReadFull(br, head); err != nil || !IsEncrypted(head) {
		return fmt.Errorf("%w: not an encrypted nyxCore backup", ErrCorrupt)
	}
	hlen := binary.BigEndian.Uint32(head[len(magic):])
	if hlen == 0 || hlen > maxHeaderLen {
		return fmt.Errorf("%w: bad encryption header", ErrCorrupt)
	}
	header := make([]byte, hlen)
	if _, err := io.ReadFull(br, header); err != nil {
		return fmt.Errorf("%w: bad encryption header", ErrCorrupt)
	}
	var h cryptHeader
	if err := json.Unmarshal(header, &h); err != nil {
		return fmt.Errorf("%w: bad encryption header", ErrCorrupt)
	}
	if h.MasterID != master.ID() {
		return fmt.Errorf("backup: this backup was encrypted with master key %s, but the configured master key is %s: set NYX_MASTER_KEY (or put master.key in the data dir) to the key the backup was made with", h.MasterID, master.ID())
	}
	key, err := master.UnwrapKey(h.KeyID, h.Wrapped, h.CreatedAt)
	if err != nil {
		return fmt.Errorf("%w: the wrapped key does not open with the master key (%v)", ErrCorrupt, err)
	}
	aead, err := newGCM(key.Material)
	if err != nil {
		return err
	}
	ad := sha256.Sum256(header)
	buf := make([]byte, chunkSize+aead.Overhead())
	for counter := uint64(0); ; counter++ {
		k, err := io.ReadFull(br, buf)
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return fmt.Errorf("backup: decrypt: %w", err)
		}
		last := k < len(buf)
		if !last {
			if _, perr := br.Peek(1); perr == io.EOF {
				last = true
			}
		}
		plain, oerr := aead.Open(buf[:0], nonce(counter, last), buf[:k], ad[:])
		if oerr != nil {
			return fmt.Errorf("%w: chunk %d does not authenticate", ErrCorrupt, counter)
		}
		if _, err := w.Write(plain); err != nil {
			return fmt.Errorf("backup: decrypt: %w", err)
		}
		if last {
			return nil
		}
	}
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	return cipher.NewGCM(block)
}

func nonce(counter uint64, last bool) []byte {
	n := make([]byte, 12)
	binary.BigEndian.PutUint64(n, counter)
	if last {
		n[11] = 1
	}
	return n
}
