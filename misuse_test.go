package grantkit_test

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"iter"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/grantkit/grantkit"
	"github.com/grantkit/grantkit/auth0"
	"github.com/grantkit/grantkit/cpn"
	"github.com/grantkit/grantkit/okta"
	"github.com/grantkit/grantkit/onelogin"
	"github.com/grantkit/grantkit/option"
	"github.com/grantkit/grantkit/ory"
	"github.com/grantkit/grantkit/pingone"
)

// The ordinary mistakes of a first day — a nil context, a zero-value or nil client or
// service, a nil Grants — must each give an error naming the mistake and wrapping
// grantkit.ErrInvalidInput, send nothing, and never panic. The test walks every exported
// method by reflection, so a method added later is covered without touching it.

// counter is an HTTP transport that counts what reaches it and sends nothing.
type counter struct{ n atomic.Int32 }

func (c *counter) RoundTrip(*http.Request) (*http.Response, error) {
	c.n.Add(1)
	return nil, errors.New("the misuse test sends nothing")
}

type vendorClient struct {
	name string
	// zero is a pointer to the vendor's zero Client; nilClient a nil *Client.
	zero, nilClient any
	// made returns a client from the vendor's New, sending through hc.
	made func(t *testing.T, hc *http.Client) any
}

func vendorClients() []vendorClient {
	opts := func(hc *http.Client) []option.Option {
		return []option.Option{option.WithToken("test-token"), option.WithHTTPClient(hc)}
	}
	must := func(t *testing.T, c any, err error) any {
		t.Helper()
		require.NoError(t, err)
		return c
	}
	return []vendorClient{
		{"auth0", &auth0.Client{}, (*auth0.Client)(nil), func(t *testing.T, hc *http.Client) any {
			c, err := auth0.New("example.eu.auth0.com", opts(hc)...)
			return must(t, c, err)
		}},
		{"cpn", &cpn.Client{}, (*cpn.Client)(nil), func(t *testing.T, hc *http.Client) any {
			c, err := cpn.New("org-1", opts(hc)...)
			return must(t, c, err)
		}},
		{"onelogin", &onelogin.Client{}, (*onelogin.Client)(nil), func(t *testing.T, hc *http.Client) any {
			c, err := onelogin.New("acme", opts(hc)...)
			return must(t, c, err)
		}},
		{"pingone", &pingone.Client{}, (*pingone.Client)(nil), func(t *testing.T, hc *http.Client) any {
			c, err := pingone.New("env-1", opts(hc)...)
			return must(t, c, err)
		}},
		{"okta", &okta.Client{}, (*okta.Client)(nil), func(t *testing.T, hc *http.Client) any {
			c, err := okta.New("example.okta.com", opts(hc)...)
			return must(t, c, err)
		}},
		{"ory", &ory.Client{}, (*ory.Client)(nil), func(t *testing.T, hc *http.Client) any {
			c, err := ory.New("https://example.projects.oryapis.com", opts(hc)...)
			return must(t, c, err)
		}},
	}
}

var (
	ctxType   = reflect.TypeFor[context.Context]()
	errorType = reflect.TypeFor[error]()
)

// services returns the services of a vendor client (a pointer to its Client struct): every
// exported field that is a pointer to a type with exported methods, by field name.
func services(t *testing.T, client any) map[string]reflect.Value {
	t.Helper()
	v := reflect.ValueOf(client).Elem()
	out := map[string]reflect.Value{}
	for i := range v.NumField() {
		f := v.Type().Field(i)
		if f.IsExported() && f.Type.Kind() == reflect.Pointer && f.Type.NumMethod() > 0 {
			out[f.Name] = v.Field(i)
		}
	}
	require.NotEmpty(t, out, "%T has services", client)
	return out
}

// views returns the vendor-neutral views a client offers (Grants, ScopeCatalog): every
// exported method that takes nothing and returns an interface, so a view added later is
// walked too.
func views(client any) map[string]reflect.Value {
	out := map[string]reflect.Value{}
	v := reflect.ValueOf(client)
	for i := range v.NumMethod() {
		m := v.Type().Method(i)
		if mt := v.Method(i).Type(); mt.NumIn() == 0 && mt.NumOut() == 1 && mt.Out(0).Kind() == reflect.Interface {
			out[m.Name] = v.Method(i).Call(nil)[0]
		}
	}
	return out
}

// callAll calls every exported method of recv with ctx for its context and zero values for
// every other argument, and checks each outcome with check. An iterator is ranged over: the
// error it yields is the method's error.
func callAll(t *testing.T, recv reflect.Value, ctx context.Context, check func(t *testing.T, err error)) {
	t.Helper()
	require.Positive(t, recv.NumMethod())
	for i := range recv.NumMethod() {
		name := recv.Type().Method(i).Name
		m := recv.Method(i)
		t.Run(name, func(t *testing.T) {
			err, ok := call(t, m, ctx)
			if !ok {
				return // neither an error nor an iterator: it cannot meet these mistakes
			}
			if !takesContext(m.Type()) {
				// An offline check (CheckGrant, CheckScope) sends nothing, whatever the
				// client; given zero values, it refuses them.
				refused()(t, err)
				return
			}
			check(t, err)
		})
	}
}

func takesContext(mt reflect.Type) bool {
	for i := range mt.NumIn() {
		if mt.In(i) == ctxType {
			return true
		}
	}
	return false
}

// call runs one method, turning a panic into a test failure. It reports the method's error
// and whether the method has one (an error result, or an iterator yielding errors).
func call(t *testing.T, m reflect.Value, ctx context.Context) (err error, hasErr bool) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Errorf("panic: %v", p)
			hasErr = false
		}
	}()
	mt := m.Type()
	n := mt.NumIn()
	if mt.IsVariadic() {
		n-- // the variadic part is left empty
	}
	args := make([]reflect.Value, n)
	for i := range n {
		args[i] = reflect.Zero(mt.In(i))
		if mt.In(i) == ctxType && ctx != nil {
			args[i] = reflect.ValueOf(ctx)
		}
	}
	out := m.Call(args)
	if len(out) == 0 {
		return nil, false
	}
	last := out[len(out)-1]
	switch {
	case last.Type() == errorType:
		err, _ = last.Interface().(error)
		return err, true
	case mt.NumOut() == 1 && isSeq2(last.Type()):
		return firstYield(t, last), true
	}
	return nil, false
}

// isSeq2 reports whether t is an iter.Seq2[*T, error].
func isSeq2(t reflect.Type) bool {
	if t.Kind() != reflect.Func || t.NumIn() != 1 || t.NumOut() != 0 {
		return false
	}
	y := t.In(0)
	return y.Kind() == reflect.Func && y.NumIn() == 2 && y.In(1) == errorType && y.NumOut() == 1
}

// firstYield ranges over an iter.Seq2 until its first yield and returns the error yielded.
func firstYield(t *testing.T, seq reflect.Value) error {
	t.Helper()
	var got error
	yields := 0
	yield := reflect.MakeFunc(seq.Type().In(0), func(args []reflect.Value) []reflect.Value {
		yields++
		got, _ = args[1].Interface().(error)
		return []reflect.Value{reflect.ValueOf(false)}
	})
	seq.Call([]reflect.Value{yield})
	require.Equal(t, 1, yields, "the iterator yields its error once")
	return got
}

// refused checks an error of an ordinary mistake: it is there, wraps ErrInvalidInput, is
// not a *grantkit.Error (nothing was sent) and says what was wrong.
func refused(says ...string) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		require.Error(t, err)
		assert.ErrorIs(t, err, grantkit.ErrInvalidInput)
		var apiErr *grantkit.Error
		assert.False(t, errors.As(err, &apiErr), "nothing was sent: %v", err)
		for _, s := range says {
			assert.Contains(t, err.Error(), s)
		}
	}
}

func TestMistakesAreErrorsNotPanics(t *testing.T) {
	bg := context.Background()
	for _, vc := range vendorClients() {
		t.Run(vc.name, func(t *testing.T) {
			notMade := refused(vc.name+": ", "not made by "+vc.name+".New")
			t.Run("zero Client", func(t *testing.T) {
				for name, svc := range services(t, vc.zero) {
					t.Run(name, func(t *testing.T) { callAll(t, svc, bg, notMade) })
				}
				for name, view := range views(vc.zero) {
					t.Run(name, func(t *testing.T) { callAll(t, view, bg, notMade) })
				}
			})
			t.Run("nil Client behind the views", func(t *testing.T) {
				for name, view := range views(vc.nilClient) {
					t.Run(name, func(t *testing.T) { callAll(t, view, bg, notMade) })
				}
			})
			t.Run("zero service", func(t *testing.T) {
				for name, svc := range services(t, vc.zero) {
					zero := reflect.New(svc.Type().Elem())
					t.Run(name, func(t *testing.T) { callAll(t, zero, bg, notMade) })
				}
			})
			t.Run("nil context", func(t *testing.T) {
				rt := &counter{}
				c := vc.made(t, &http.Client{Transport: rt})
				nilCtx := refused(vc.name+": ", "ctx: is nil")
				for name, svc := range services(t, c) {
					t.Run(name, func(t *testing.T) { callAll(t, svc, nil, nilCtx) })
				}
				for name, view := range views(c) {
					t.Run(name, func(t *testing.T) { callAll(t, view, nil, nilCtx) })
				}
				assert.Zero(t, rt.n.Load(), "nothing was sent")
			})
		})
	}
}

// helpers are the root package's functions that take a Grants, each called with the
// arguments given.
var helpers = map[string]func(ctx context.Context, g grantkit.Grants) (any, error){
	"PlanScopes": func(ctx context.Context, g grantkit.Grants) (any, error) {
		return grantkit.PlanScopes(ctx, g, []grantkit.ScopeChangeRequest{{Key: grantkit.GrantKey{Resource: "r", ClientID: "c"}, Add: []string{"read:a"}}})
	},
	"ApplyScopes": func(ctx context.Context, g grantkit.Grants) (any, error) {
		return grantkit.ApplyScopes(ctx, g, []grantkit.ScopeChangeRequest{{Key: grantkit.GrantKey{Resource: "r", ClientID: "c"}, Add: []string{"read:a"}}}, 1)
	},
	"AddScopes": func(ctx context.Context, g grantkit.Grants) (any, error) {
		return grantkit.AddScopes(ctx, g, grantkit.GrantKey{Resource: "r", ClientID: "c"}, "read:a")
	},
	"RemoveScopes": func(ctx context.Context, g grantkit.Grants) (any, error) {
		return grantkit.RemoveScopes(ctx, g, grantkit.GrantKey{Resource: "r", ClientID: "c"}, "read:a")
	},
}

func TestRootHelpersRefuseMistakes(t *testing.T) {
	// Every exported function of the package that takes a Grants is in the table, so that a
	// helper added later cannot skip this test.
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	var found []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		require.NoError(t, err)
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !fn.Name.IsExported() {
				continue
			}
			for _, p := range fn.Type.Params.List {
				if id, ok := p.Type.(*ast.Ident); ok && id.Name == "Grants" {
					found = append(found, fn.Name.Name)
				}
			}
		}
	}
	require.NotEmpty(t, found)
	for _, name := range found {
		assert.Contains(t, helpers, name, "grantkit.%s takes a Grants: add it to helpers", name)
	}

	rt := &counter{}
	c, err := auth0.New("example.eu.auth0.com", option.WithToken("t"), option.WithHTTPClient(&http.Client{Transport: rt}))
	require.NoError(t, err)
	for name, helper := range helpers {
		t.Run(name, func(t *testing.T) {
			run := func(ctx context.Context, g grantkit.Grants) (err error) {
				defer func() {
					if p := recover(); p != nil {
						err = fmt.Errorf("panic: %v", p)
					}
				}()
				_, err = helper(ctx, g)
				return err
			}
			refused(name+": ", "g: the Grants is nil")(t, run(context.Background(), nil))
			refused(name+": ", "ctx: is nil")(t, run(nil, c.Grants()))
			var zero *auth0.Client
			refused("auth0: "+name+": ", "not made by auth0.New")(t, run(context.Background(), zero.Grants()))
		})
	}
	assert.Zero(t, rt.n.Load(), "nothing was sent")
}

// Seq2 values of the vendor packages really are iter.Seq2 (isSeq2 must recognise them).
func TestIsSeq2(t *testing.T) {
	assert.True(t, isSeq2(reflect.TypeFor[iter.Seq2[*auth0.ClientGrant, error]]()))
	assert.False(t, isSeq2(reflect.TypeFor[func()]()))
}
