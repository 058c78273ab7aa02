//go:build !linux

package realserver_test

import "syscall"

// hydraProcAttr: outside Linux there is no parent-death signal; a test process that ends
// without TestMain's deferred stop (a test timeout's panic) leaves Hydra running.
func hydraProcAttr() *syscall.SysProcAttr { return nil }
