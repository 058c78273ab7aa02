package bench_test

import (
	"net/http/httptest"
	"runtime"
)

type httptestServer = httptest.Server

func runtimeProcs() int { return runtime.GOMAXPROCS(0) }
