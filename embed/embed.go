// Package embed holds the compiled web app (built from ui/ by `npm run
// build`, committed so `go build` never needs Node) and serves it as an fs.FS.
package embed

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the compiled web app, rooted at its index.html.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return sub
}
