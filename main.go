// Command nyxcore is a self-hosted, multi-tenant AI workspace in one binary.
package main

import (
	"fmt"
	"os"

	"github.com/nyxcore/nyxcore/app/command"
	"github.com/nyxcore/nyxcore/app/config"
)

func main() {
	cfg, flags, err := config.Load(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "nyxcore:", err)
		os.Exit(2)
	}
	os.Exit(command.Run(cfg, flags))
}
