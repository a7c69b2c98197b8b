package secret_test

import (
	"fmt"
	"log"
	"os"

	"github.com/nyxcore/nyxcore/app/secret"
)

// Example shows a first start in embedded mode: the master key is generated
// in the data dir, a data key is created and wrapped for storage, and a
// provider API key is sealed for one tenant.
func Example() {
	dir, err := os.MkdirTemp("", "nyxcore-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	master, err := secret.LoadMaster(secret.MasterOptions{DataDir: dir, Generate: true})
	if err != nil {
		log.Fatal(err)
	}
	key, err := secret.NewKey()
	if err != nil {
		log.Fatal(err)
	}
	wrapped, err := master.WrapKey(key) // stored with key.ID and key.CreatedAt
	if err != nil {
		log.Fatal(err)
	}

	// On every start: unwrap the stored data keys into a keyring.
	stored, err := master.UnwrapKey(key.ID, wrapped, key.CreatedAt)
	if err != nil {
		log.Fatal(err)
	}
	ring, err := secret.NewKeyring(stored)
	if err != nil {
		log.Fatal(err)
	}

	ad := secret.AD{Tenant: "tenant-42", Purpose: "provider:openai:api_key"}
	envelope, err := ring.Seal([]byte("sk-live-example"), ad)
	if err != nil {
		log.Fatal(err)
	}
	plaintext, err := ring.Open(envelope, ad)
	fmt.Println(string(plaintext), err)

	_, err = ring.Open(envelope, secret.AD{Tenant: "tenant-43", Purpose: ad.Purpose})
	fmt.Println(err)
	// Output:
	// sk-live-example <nil>
	// secret: decryption failed
}
