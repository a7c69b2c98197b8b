package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
)

// unbounded are the Store methods WithTimeout passes through on purpose:
// start-up checks and maintenance that visits whole audit chains.
var unbounded = map[string]bool{"Check": true, "ChainAudit": true, "ResealAudit": true, "RewrapProviderKeys": true}

// TestBoundedCoversStore: every Store method that takes a context is
// bounded by WithTimeout, or listed in unbounded; a method added to Store
// without a bounded twin would silently escape api.store_timeout.
func TestBoundedCoversStore(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	ifaces, bounded := map[string]*ast.InterfaceType{}, map[string]bool{}
	for _, f := range pkgs["store"].Files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok {
						if it, ok := ts.Type.(*ast.InterfaceType); ok {
							ifaces[ts.Name.Name] = it
						}
					}
				}
			case *ast.FuncDecl:
				if d.Recv != nil {
					if star, ok := d.Recv.List[0].Type.(*ast.StarExpr); ok && star.X.(*ast.Ident).Name == "bounded" {
						bounded[d.Name.Name] = true
					}
				}
			}
		}
	}
	var visit func(name string)
	visit = func(name string) {
		it := ifaces[name]
		if it == nil {
			t.Fatalf("interface %s not found", name)
		}
		for _, m := range it.Methods.List {
			ft, ok := m.Type.(*ast.FuncType)
			if !ok {
				visit(m.Type.(*ast.Ident).Name)
				continue
			}
			takesCtx := len(ft.Params.List) > 0 && isContext(ft.Params.List[0].Type)
			if n := m.Names[0].Name; takesCtx && !unbounded[n] && !bounded[n] {
				t.Errorf("Store.%s (from %s) has no bounded twin in bounded_methods.go", n, name)
			}
		}
	}
	visit("Store")
}

func isContext(e ast.Expr) bool {
	sel, ok := e.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Context" && sel.X.(*ast.Ident).Name == "context"
}
