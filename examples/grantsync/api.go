package main

import (
	"context"
	"iter"

	"github.com/grantkit/grantkit"
)

// grantsAPI is what grantsync needs of a vendor's grants: the vendor-neutral view with its
// whole lifecycle. It has exactly the methods of grantkit.Grants with Create and Delete, so
// every vendor's c.Grants() satisfies it.
type grantsAPI interface {
	grantkit.Grants
	// Create gives key.ClientID access to key.Resource with exactly scopes; a grant that
	// already exists wraps grantkit's "grant already exists" error and changes nothing.
	Create(ctx context.Context, key grantkit.GrantKey, scopes []string) (*grantkit.Grant, error)
	// Delete revokes the one grant key identifies.
	Delete(ctx context.Context, key grantkit.GrantKey) error
}

// ScopeDefinition is a scope as a resource defines it, as grantkit.ScopeDefinition has it.
type ScopeDefinition struct {
	Name        string
	Description string
}

// scopeCatalog is what grantsync needs of a vendor whose scopes are user-defined: the
// methods of grantkit.ScopeCatalog. CPN's scopes are defined by the platform, so a CPN
// connection has no catalog.
type scopeCatalog interface {
	Vendor() string
	Resources(ctx context.Context) iter.Seq2[string, error]
	ListScopes(ctx context.Context, resource string) ([]ScopeDefinition, error)
	DefineScope(ctx context.Context, resource string, s ScopeDefinition) (*ScopeDefinition, error)
	DescribeScope(ctx context.Context, resource, name, description string) (*ScopeDefinition, error)
	RemoveScope(ctx context.Context, resource, name string) error
}

// account is one connected vendor: its grants and, where the vendor has one, its catalog.
type account struct {
	grants  grantsAPI
	catalog scopeCatalog // nil where scopes are defined by the platform (CPN)
}
