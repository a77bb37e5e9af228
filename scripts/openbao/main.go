// Command openbao-dev builds OpenBao's server from the Go module proxy so the
// test suite has a real Vault-API server. It is the upstream CLI entry point,
// nothing more: `openbao-dev server -dev ...`.
package main

import (
	"os"

	"github.com/openbao/openbao/command"
)

func main() {
	os.Exit(command.Run(os.Args[1:]))
}
