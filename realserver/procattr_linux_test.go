package realserver_test

import "syscall"

// hydraProcAttr makes the kernel kill Hydra when the test process ends, however it ends (a
// test timeout's panic, a signal): the deferred stop in TestMain does not run then, and Hydra
// would outlive the run.
func hydraProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
