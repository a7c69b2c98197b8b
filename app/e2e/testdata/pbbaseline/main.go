// Command pbbaseline is bare PocketBase with no nyxCore code: the baseline
// the cold-start benchmark measures nyxCore against.
package main

import (
	"log"

	"github.com/pocketbase/pocketbase"
)

func main() {
	app := pocketbase.NewWithConfig(pocketbase.Config{DefaultDev: false})
	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}
