package main

import "github.com/grantkit/grantkit"

// account is one connected vendor: its grants with their whole lifecycle and, where the
// vendor's scopes are user-defined, its scope catalog.
type account struct {
	grants  grantkit.Grants
	catalog grantkit.ScopeCatalog // nil where the platform defines the scopes (CPN)
}
