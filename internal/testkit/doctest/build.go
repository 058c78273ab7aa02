package doctest

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A Given is a name a statement snippet may use without declaring it.
type Given struct {
	Name string
	Type string // a Go type, its packages named as in Imports: "context.Context"
}

// Config says how to build a set of snippets.
type Config struct {
	// Root is the module's directory and ModulePath its path.
	Root, ModulePath string
	// Imports maps a package name a snippet may use to its import path.
	Imports map[string]string
	// Givens are the names every statement snippet may use; PackageGivens adds names for the
	// doc comments of one package (by import path).
	Givens        []Given
	PackageGivens map[string][]Given
	// VendorOAS is the import path of the generated client that stands in for a vendor
	// package's own (the "vendor NAME" directive), and VendorDir is the module directory
	// under which such a package is compiled (one allowed to import VendorOAS).
	VendorOAS, VendorDir string
	// Run reports whether a statement snippet is run after the build (README's Usage).
	Run func(Snippet) bool
	// Runner is the main package that runs those snippets: RunnerSource returns its source,
	// given the import path of each snippet's package, in the order of the snippets.
	RunnerSource func(run []Snippet, importPaths []string, givens []Given) []byte
	// BuildFlags are passed to go build (such as -race, to share the build cache
	// with the test run).
	BuildFlags []string
}

// Result is what Build found.
type Result struct {
	// Problems are the snippets that could not be built, each with its position and the
	// compiler's message: one string per snippet, ready to print.
	Problems []string
	// RunOutput is what the runner printed, if any snippet was run.
	RunOutput string
}

// A shape is how a snippet is compiled.
type shape int

const (
	shapeStatements shape = iota
	shapeDecls
	shapeFile
)

type unit struct {
	snip    Snippet
	shape   shape
	pkgDir  string // module-relative directory of its package
	file    string // module-relative file name
	source  []byte
	run     bool
	vendor  string // the package name of a "vendor NAME" directive
	problem string // set when it cannot be built at all (a syntax error)
}

const genDir = "internal/testkit/doctest/zz_snippets" // nothing is written there: see -overlay

// Build compiles the snippets with one go build over packages that exist only in an overlay,
// then runs the runnable ones. An error is returned only when the build could
// not be attempted; a snippet that does not compile is one of Result.Problems.
func Build(ctx context.Context, cfg Config, snippets []Snippet, tmp string) (Result, error) {
	var (
		res     Result
		units   []*unit
		vendors = map[string][]*unit{}
	)
	for i, s := range snippets {
		if reason, ok := strings.CutPrefix(s.Directive, "skip"); ok {
			if strings.TrimSpace(reason) == "" {
				return res, fmt.Errorf("%s: doctest directive skip needs a reason: <!-- doctest: skip REASON -->", s.Pos())
			}
			continue
		}
		u := &unit{snip: s, pkgDir: fmt.Sprintf("%s/s%03d", genDir, i+1), file: "snippet.go"}
		if name, ok := strings.CutPrefix(s.Directive, "vendor "); ok {
			name = strings.TrimSpace(name)
			if !token.IsIdentifier(name) {
				return res, fmt.Errorf("%s: doctest directive %q: NAME must be a Go identifier", s.Pos(), s.Directive)
			}
			u.vendor = name
			u.pkgDir = path.Join(cfg.VendorDir, "zz_doctest_"+name)
			u.file = fmt.Sprintf("s%03d.go", i+1)
			vendors[name] = append(vendors[name], u)
		} else if s.Directive != "" {
			return res, fmt.Errorf("%s: unknown doctest directive %q (known: skip REASON, vendor NAME)", s.Pos(), s.Directive)
		}
		u.run = cfg.Run != nil && cfg.Run(s)
		generate(cfg, u)
		if u.run && u.shape != shapeStatements && u.problem == "" {
			u.problem = fmt.Sprintf("%s: this block is run (it is in README's Usage section), so it must be statements (the body of a function returning error), not a file or declarations", s.Pos())
		}
		units = append(units, u)
	}
	for name, us := range vendors {
		if src := vendorContext(cfg, name, us); src != nil {
			units = append(units, &unit{snip: Snippet{File: "(doctest: vendor " + name + " context)"}, shape: shapeDecls,
				pkgDir: us[0].pkgDir, file: "zz_context.go", source: src})
		}
	}

	overlay := map[string]string{}
	byPkg := map[string][]*unit{}
	var pkgs []string
	var run []Snippet
	var runPaths []string
	for i, u := range units {
		if u.problem != "" {
			res.Problems = append(res.Problems, u.problem)
			continue
		}
		name := filepath.Join(tmp, fmt.Sprintf("%03d.go", i+1))
		if err := os.WriteFile(name, u.source, 0o644); err != nil {
			return res, err
		}
		overlay[filepath.Join(cfg.Root, filepath.FromSlash(u.pkgDir), u.file)] = name
		if len(byPkg[u.pkgDir]) == 0 {
			pkgs = append(pkgs, "./"+u.pkgDir)
		}
		byPkg[u.pkgDir] = append(byPkg[u.pkgDir], u)
		if u.run {
			run = append(run, u.snip)
			runPaths = append(runPaths, path.Join(cfg.ModulePath, u.pkgDir))
		}
	}
	runnerDir := genDir + "/run"
	if len(run) > 0 {
		name := filepath.Join(tmp, "runner.go")
		if err := os.WriteFile(name, cfg.RunnerSource(run, runPaths, cfg.Givens), 0o644); err != nil {
			return res, err
		}
		overlay[filepath.Join(cfg.Root, filepath.FromSlash(runnerDir), "main.go")] = name
		pkgs = append(pkgs, "./"+runnerDir)
		byPkg[runnerDir] = []*unit{{snip: Snippet{File: "(doctest runner)"}, file: "main.go", source: cfg.RunnerSource(run, runPaths, cfg.Givens)}}
	}
	if len(pkgs) == 0 {
		return res, nil
	}
	ov, err := json.Marshal(map[string]any{"Replace": overlay})
	if err != nil {
		return res, err
	}
	ovName := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(ovName, ov, 0o644); err != nil {
		return res, err
	}
	bin := filepath.Join(tmp, "bin") + string(filepath.Separator)
	goCmd := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir = cfg.Root
		out, err := cmd.CombinedOutput()
		if err != nil && !errors.As(err, new(*exec.ExitError)) {
			return "", fmt.Errorf("go %s: %w", args[0], err)
		}
		if err != nil {
			return string(out), errFailed
		}
		return string(out), nil
	}
	// One build checks every package (go build -o would build only the main ones); the
	// second only links the runner, whose packages are in the build cache by then.
	out, err := goCmd(slices.Concat([]string{"build", "-overlay", ovName}, cfg.BuildFlags, pkgs)...)
	if errors.Is(err, errFailed) {
		res.Problems = append(res.Problems, explain(cfg, out, byPkg, overlay)...)
		return res, nil
	} else if err != nil {
		return res, err
	}
	if len(run) == 0 {
		return res, nil
	}
	out, err = goCmd(slices.Concat([]string{"build", "-overlay", ovName, "-buildvcs=false", "-o", bin}, cfg.BuildFlags, []string{"./" + runnerDir})...)
	if errors.Is(err, errFailed) {
		res.Problems = append(res.Problems, explain(cfg, out, byPkg, overlay)...)
		return res, nil
	} else if err != nil {
		return res, err
	}
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "run"))
	cmd.Dir = tmp
	runOut, err := cmd.CombinedOutput()
	res.RunOutput = string(runOut)
	if err != nil {
		res.Problems = append(res.Problems, "README's Usage section, run against the Auth0 fake, failed ("+err.Error()+"):\n"+indent(res.RunOutput))
	}
	return res, nil
}

var errFailed = errors.New("failed")

// generate writes u.source, choosing the snippet's shape.
func generate(cfg Config, u *unit) {
	code := u.snip.Code
	if u.vendor != "" {
		u.shape = shapeDecls
		if err := parseDecls(code); err != nil {
			u.problem = syntaxProblem(u.snip, err, "declarations (doctest: vendor directive)", 1)
			return
		}
		u.source = declSource(cfg, u, code, "package "+u.vendor)
		return
	}
	switch firstToken(code) {
	case token.PACKAGE:
		u.shape = shapeFile
		if _, err := parser.ParseFile(token.NewFileSet(), "", code, parser.SkipObjectResolution); err != nil {
			u.problem = syntaxProblem(u.snip, err, "a file", 0)
			return
		}
		u.source = fmt.Appendf(nil, "%s\n%s\n", lineDirective(cfg, u.snip), code)
		return
	case token.FUNC, token.TYPE, token.IMPORT, token.CONST, token.VAR:
		if err := parseDecls(code); err == nil {
			u.shape = shapeDecls
			u.source = declSource(cfg, u, code, "package snippet")
			return
		} else if firstToken(code) != token.VAR {
			u.problem = syntaxProblem(u.snip, err, "declarations", 1)
			return
		}
	}
	u.shape = shapeStatements
	src, err := statementSource(cfg, u.snip)
	if err != nil {
		u.problem = syntaxProblem(u.snip, err, "statements", 2)
		return
	}
	u.source = src
}

func firstToken(code string) token.Token {
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile("", -1, len(code)), []byte(code), nil, 0) // comments are skipped
	_, tok, _ := s.Scan()
	return tok
}

func parseDecls(code string) error {
	_, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+code, parser.SkipObjectResolution)
	return err
}

// syntaxProblem reports a snippet that does not parse, at its own line.
// The parsed text had linesBefore lines before the snippet's first.
func syntaxProblem(s Snippet, err error, as string, linesBefore int) string {
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		e := list[0]
		line := s.Line + e.Pos.Line - 1 - linesBefore
		return fmt.Sprintf("%s:%d: does not parse as Go %s: %s\n%s", s.File, line, as, e.Msg, indent(s.Code))
	}
	return fmt.Sprintf("%s: does not parse as Go %s: %v", s.Pos(), as, err)
}

// lineDirective makes the compiler report the lines that follow as the snippet's own.
func lineDirective(cfg Config, s Snippet) string {
	return fmt.Sprintf("//line %s:%d", filepath.Join(cfg.Root, filepath.FromSlash(s.File)), s.Line)
}

func declSource(cfg Config, u *unit, code, pkgClause string) []byte {
	f, _ := parser.ParseFile(token.NewFileSet(), "", "package p\n"+code, parser.SkipObjectResolution)
	imports := cfg.Imports
	if u.vendor != "" {
		imports = merge(cfg.Imports, map[string]string{"oas": cfg.VendorOAS})
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n\n", pkgClause)
	writeImports(&b, usedPackages(f, imports, nil))
	fmt.Fprintf(&b, "%s\n%s\n", lineDirective(cfg, u.snip), code)
	return b.Bytes()
}

func merge(a, b map[string]string) map[string]string {
	m := make(map[string]string, len(a)+len(b))
	for k, v := range a {
		m[k] = v
	}
	for k, v := range b {
		m[k] = v
	}
	return m
}

// statementSource wraps a statement snippet in a function Snippet whose parameters are the
// givens and which returns error. The code is a block of its own in it, followed by `_ = x`
// for each name x the code declares, and `return nil` unless the code ends with a return.
func statementSource(cfg Config, s Snippet) ([]byte, error) {
	const prefix = "package p\nfunc _() {\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", prefix+s.Code+"\n}\n", parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	body := f.Decls[0].(*ast.FuncDecl).Body
	tf := fset.File(f.Pos())
	offset := func(p token.Pos) int { return tf.Offset(p) - len(prefix) }

	// A line that is only a value (a composite literal, a conversion) is checked as `_ = v`.
	code := []byte(s.Code)
	var inserts []int
	var declared []string
	for _, st := range body.List {
		switch st := st.(type) {
		case *ast.ExprStmt:
			switch x := ast.Unparen(st.X).(type) {
			case *ast.CallExpr:
			case *ast.UnaryExpr:
				if x.Op != token.ARROW {
					inserts = append(inserts, offset(st.Pos()))
				}
			default:
				inserts = append(inserts, offset(st.Pos()))
			}
		case *ast.AssignStmt:
			if st.Tok == token.DEFINE {
				for _, l := range st.Lhs {
					if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
						declared = append(declared, id.Name)
					}
				}
			}
		case *ast.DeclStmt:
			if gd, ok := st.Decl.(*ast.GenDecl); ok && gd.Tok == token.VAR {
				for _, sp := range gd.Specs {
					for _, id := range sp.(*ast.ValueSpec).Names {
						if id.Name != "_" {
							declared = append(declared, id.Name)
						}
					}
				}
			}
		}
	}
	for _, at := range slices.Backward(inserts) {
		code = slices.Insert(code, at, []byte("_ = ")...)
	}
	slices.Sort(declared)
	declared = slices.Compact(declared)

	givens := slices.Concat(cfg.Givens, cfg.PackageGivens[s.Package])
	var typeRefs []string
	for _, g := range givens {
		typeRefs = append(typeRefs, g.Type)
	}
	var b bytes.Buffer
	b.WriteString("package snippet\n\n")
	writeImports(&b, usedPackages(f, cfg.Imports, typeRefs))
	fmt.Fprintf(&b, "// Snippet is the code at %s.\nfunc Snippet(", s.Pos())
	for i, g := range givens {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s", g.Name, g.Type)
	}
	b.WriteString(") error {\n\t{\n")
	fmt.Fprintf(&b, "%s\n%s\n", lineDirective(cfg, s), code)
	// The lines below are the wrapper's own again: put them after the snippet's last line,
	// where a mistake in them is easiest to see.
	fmt.Fprintf(&b, "//line %s:%d\n", filepath.Join(cfg.Root, filepath.FromSlash(s.File)), s.Line+strings.Count(s.Code, "\n")+1)
	terminated := false
	if n := len(body.List); n > 0 {
		_, terminated = body.List[n-1].(*ast.ReturnStmt)
	}
	if !terminated {
		for _, name := range declared {
			fmt.Fprintf(&b, "\t\t_ = %s\n", name)
		}
	}
	b.WriteString("\t}\n")
	if !terminated {
		b.WriteString("\treturn nil\n")
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

func writeImports(b *bytes.Buffer, imports map[string]string) {
	if len(imports) == 0 {
		return
	}
	names := make([]string, 0, len(imports))
	for n := range imports {
		names = append(names, n)
	}
	slices.Sort(names)
	b.WriteString("import (\n")
	for _, n := range names {
		fmt.Fprintf(b, "\t%s %s\n", n, strconv.Quote(imports[n]))
	}
	b.WriteString(")\n\n")
}

// usedPackages returns the packages of imports that the snippet in f names (X in X.Sel,
// where the snippet does not declare X itself) or that the types in typeRefs name.
func usedPackages(f *ast.File, imports map[string]string, typeRefs []string) map[string]string {
	declared := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						declared[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				declared[id.Name] = true
			}
		case *ast.TypeSpec:
			declared[n.Name.Name] = true
		case *ast.FuncDecl:
			if n.Recv == nil {
				declared[n.Name.Name] = true
			}
		case *ast.FuncType:
			for _, fl := range slices.Concat(fieldList(n.TypeParams), fieldList(n.Params), fieldList(n.Results)) {
				for _, id := range fl.Names {
					declared[id.Name] = true
				}
			}
		case *ast.ImportSpec:
			// A snippet with its own imports is a complete file; declarations keep theirs.
			name := path.Base(mustUnquote(n.Path.Value))
			if n.Name != nil {
				name = n.Name.Name
			}
			declared[name] = true
		}
		return true
	})
	used := map[string]string{}
	addSelectors := func(n ast.Node, skipDeclared bool) {
		ast.Inspect(n, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && (!skipDeclared || !declared[id.Name]) {
					if p, ok := imports[id.Name]; ok {
						used[id.Name] = p
					}
				}
			}
			return true
		})
	}
	addSelectors(f, true)
	for _, t := range typeRefs {
		if x, err := parser.ParseExpr(t); err == nil {
			addSelectors(x, false)
		}
	}
	return used
}

func fieldList(fl *ast.FieldList) []*ast.Field {
	if fl == nil {
		return nil
	}
	return fl.List
}

func mustUnquote(s string) string {
	u, err := strconv.Unquote(s)
	if err != nil {
		return s
	}
	return u
}

// vendorContext declares, for the package of a "vendor NAME" directive, the Client type and
// the parseError function its blocks use without declaring them (a vendor's client.go shows
// New, which needs both, but they belong to other parts of the package).
func vendorContext(cfg Config, name string, us []*unit) []byte {
	declared := map[string]bool{}
	for _, u := range us {
		f, err := parser.ParseFile(token.NewFileSet(), "", "package p\n"+u.snip.Code, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					declared[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, sp := range d.Specs {
					switch sp := sp.(type) {
					case *ast.TypeSpec:
						declared[sp.Name.Name] = true
					case *ast.ValueSpec:
						for _, id := range sp.Names {
							declared[id.Name] = true
						}
					}
				}
			}
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "package %s\n\n", name)
	imports := map[string]string{"oas": cfg.VendorOAS}
	var decls bytes.Buffer
	if !declared["Client"] {
		decls.WriteString("// Client is the vendor's client, as its client.go declares it.\ntype Client struct{ api *oas.Client }\n\n")
	}
	if !declared["parseError"] {
		imports["grantkit"] = cfg.Imports["grantkit"]
		decls.WriteString(`// parseError reads the vendor's error body (here Auth0's, whose client stands in).
func parseError(body []byte, e *grantkit.Error) {
	var b oas.Error
	if b.UnmarshalJSON(body) != nil {
		return
	}
	e.Code = b.ErrorCode.Or("")
	e.Message = b.Message.Or("")
}
`)
	}
	if decls.Len() == 0 {
		return nil
	}
	writeImports(&b, imports)
	b.Write(decls.Bytes())
	return b.Bytes()
}

// errLine is a compiler message: "./README.md:57:2: undefined: x".
var errLine = regexp.MustCompile(`^(?:\./)?([^\s:]+):(\d+)(?::(\d+))?: (.*)$`)

// explain turns go build's output into one problem per snippet package: the
// snippet's position, every message with the line of the documentation it is about, and the
// generated source when a message is about the wrapper rather than the snippet.
func explain(cfg Config, out string, byPkg map[string][]*unit, overlay map[string]string) []string {
	var (
		problems []string
		cur      *strings.Builder
		curPkg   string
		shown    = map[string]bool{}
	)
	pkgOf := func(importPath string) string {
		return strings.TrimPrefix(strings.TrimPrefix(importPath, cfg.ModulePath), "/")
	}
	finish := func() {
		if cur != nil && strings.Contains(cur.String(), "\t") {
			problems = append(problems, strings.TrimRight(cur.String(), "\n"))
		}
		cur = nil
	}
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if rest, ok := strings.CutPrefix(line, "# "); ok {
			rest = strings.Trim(strings.TrimSpace(rest), "[]")
			rest, _, _ = strings.Cut(rest, " ")
			if cur != nil && pkgOf(rest) == curPkg {
				continue // the package is named again
			}
			finish()
			curPkg = pkgOf(rest)
			cur = &strings.Builder{}
			if us := byPkg[curPkg]; len(us) > 0 {
				for _, u := range us {
					if u.snip.Line == 0 { // the runner or a vendor package's context
						fmt.Fprintf(cur, "%s:\n", u.snip.File)
					} else {
						fmt.Fprintf(cur, "%s (compiled as %s):\n", u.snip.Pos(), shapeName(u))
					}
				}
			} else {
				fmt.Fprintf(cur, "%s:\n", rest)
			}
			continue
		}
		if cur == nil {
			cur = &strings.Builder{}
		}
		m := errLine.FindStringSubmatch(line)
		if m == nil {
			fmt.Fprintf(cur, "\t%s\n", line)
			continue
		}
		file := m[1]
		if rel, err := filepath.Rel(cfg.Root, file); err == nil && filepath.IsAbs(file) {
			file = filepath.ToSlash(rel)
		}
		fmt.Fprintf(cur, "\t%s:%s: %s\n", file, m[2], m[4])
		if strings.HasPrefix(m[4], "undefined: ") && len(cfg.Givens) > 0 {
			names := make([]string, 0, len(cfg.Givens))
			for _, g := range cfg.Givens {
				names = append(names, g.Name)
			}
			fmt.Fprintf(cur, "\t\t(declare it in the snippet; statements may use undeclared only %s, and c in a vendor package's doc)\n", strings.Join(names, ", "))
		}
		n, _ := strconv.Atoi(m[2])
		if strings.HasPrefix(file, genDir) || strings.Contains(file, "zz_doctest_") {
			// A message about the wrapper: show what was compiled.
			if gen, ok := overlay[filepath.Join(cfg.Root, filepath.FromSlash(file))]; ok && !shown[gen] {
				shown[gen] = true
				if src, err := os.ReadFile(gen); err == nil {
					fmt.Fprintf(cur, "\tthe generated %s:\n%s", file, indent(numbered(src)))
				}
			}
			continue
		}
		if src, err := os.ReadFile(filepath.Join(cfg.Root, filepath.FromSlash(file))); err == nil {
			lines := strings.Split(string(src), "\n")
			if n >= 1 && n <= len(lines) {
				fmt.Fprintf(cur, "\t\t%d | %s\n", n, strings.TrimRight(lines[n-1], " \t"))
			}
		}
	}
	finish()
	slices.SortStableFunc(problems, func(a, b string) int { return cmp.Compare(a, b) })
	return problems
}

func shapeName(u *unit) string {
	switch {
	case u.vendor != "":
		return "declarations of package " + u.vendor
	case u.shape == shapeFile:
		return "a file"
	case u.shape == shapeDecls:
		return "declarations"
	default:
		return "statements"
	}
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	return "\t" + strings.ReplaceAll(s, "\n", "\n\t")
}
