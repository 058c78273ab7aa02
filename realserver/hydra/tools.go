//go:build tools

// Package hydra pins Ory Hydra, which the real-server tests build and run.
package hydra

import _ "github.com/ory/hydra/v2"
