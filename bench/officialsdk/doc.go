// Package officialsdk compares grantkit with Auth0's official Go SDK
// (github.com/auth0/go-auth0/v2 at v2.2.0) on the seed call, a client grant update. It is a
// module of its own so that the library's go.mod never depends on the official SDK.
package officialsdk
