// Package realserver measures grantkit's Ory support against a real OAuth server: its tests
// build Ory Hydra v2.3.0 from the module proxy (module ./hydra, kept apart so that neither
// grantkit nor this module compiles Hydra's dependencies), start it in memory on loopback with
// random ports, and run the shared grant, bulk and reliability tables against it and against
// oryfake, scenario by scenario, plus an end-to-end check of the tokens Hydra issues.
//
//	bash realserver/run.sh      # builds Hydra if needed, runs the tests, prints the comparison
//	cd realserver && go test -race ./...
//
// The Hydra binary is looked for at $GRANTKIT_HYDRA, then in the user cache directory
// (grantkit-hydra/v2.3.0/hydra), and built there when missing (about 2 minutes on 2 cores; a
// C compiler is needed for its sqlite).
package realserver
