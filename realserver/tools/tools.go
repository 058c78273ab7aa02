//go:build tools

// Package tools pins Ory Hydra, which the real-server tests build and run.
package tools

import _ "github.com/ory/hydra/v2"
