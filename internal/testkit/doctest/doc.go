// Package doctest compiles the Go code of grantkit's documentation and runs README's Usage
// section, so that no example a user copies is out of date. Its test, TestDocSnippets, takes
// every ```go block of README.md and CONTRIBUTING.md and every code block (the lines indented
// with a tab) of a doc comment in the module's hand-written packages, compiles them all with
// one `go build` (a second one links the program that runs README's Usage), and reports each
// failure as the snippet's own file and line with the compiler's message.
//
// # How a snippet is compiled
//
// Each snippet becomes a package of its own, which exists only for the build (the go
// command's -overlay: nothing is written into the module). Its shape decides how:
//
//   - A complete file, which starts with a package clause, is compiled as it is.
//   - Declarations (func, type, const, import, and var declarations only) become a file with
//     the imports the snippet uses added.
//   - Anything else is statements: the body of a function returning error, in a block of its
//     own, so that a snippet may `return err` and may declare a name that is also a given
//     (below). A line that is only an expression, such as auth0.ClientGrantUpdate{...}, is
//     checked as `_ = expr`, and a variable the snippet declares need not be used later.
//
// Imports are added for the packages a snippet names (fmt, http, grantkit, auth0, option,
// auth0fake, ...: the Imports table), so snippets show none unless they are complete files.
//
// A statement snippet may use these names without declaring them (the Givens table): ctx,
// err, id, clientID, appID, grantID, resID, orgID, envID and aud (strings), secret,
// clientSecret and apiToken (grantkit.Secret), authID and scopeID (int64), ids ([]string), hc
// (*http.Client) and t (*testing.T); in the doc comments of a vendor package, c is that
// package's *Client. Anything else a snippet uses, it declares. Prefer complete snippets in
// README.md: a snippet that is run gets zero values for all but ctx.
//
// # Blocks that are not compiled
//
// A Markdown block whose fence is not ```go (```sh, a bare ```) is not Go. A doc comment code
// block that is not Go (a table, a command line) is listed, with the reason, in the test's
// notGo table; the package doc of a command (package main) shows its command lines and is not
// compiled. In Markdown, the line <!-- doctest: skip REASON --> right above a ```go fence skips
// that block; keep it for code that is deliberately partial, and rare. The line
// <!-- doctest: vendor NAME --> compiles the block as declarations of package NAME, a vendor
// package being written (as in CONTRIBUTING.md): it may use grantkit's internal packages, and
// Auth0's generated client stands in for its own as oas. Client (with the field
// api *oas.Client) and parseError are provided when the package's blocks do not declare them.
//
// # README's Usage section is run
//
// Every ```go block under the "## Usage" heading of README.md must be statements: it is run,
// with ctx = context.Background(), against an auth0fake server that defines the API
// https://api.example.com/ with the scopes read:users and update:users and holds one grant on
// it. Every request to a host that is not a loopback address (such as example.eu.auth0.com)
// goes to that fake, and AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET hold the fake's
// domain and credentials. A block fails when it returns an error or panics.
package doctest
