package deploy

import (
	"debug/elf"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	Cmd  string // upper case: FROM, RUN, ...
	Args string
}

// stage is one FROM and what follows it.
type stage struct {
	Image, Name string
	Body        []instruction
}

type dockerfile struct {
	Args   []instruction // ARGs before the first FROM
	Stages []stage
}

func readDockerfile() (*dockerfile, error) {
	b, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		return nil, err
	}
	df := &dockerfile{}
	var joined string
	for _, line := range strings.Split(string(b), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") || (trimmed == "" && joined == "") {
			continue
		}
		if cont, ok := strings.CutSuffix(trimmed, "\\"); ok {
			joined += cont + " "
			continue
		}
		joined += trimmed
		cmd, args, _ := strings.Cut(joined, " ")
		joined = ""
		in := instruction{Cmd: strings.ToUpper(cmd), Args: strings.TrimSpace(args)}
		switch {
		case in.Cmd == "FROM":
			f := strings.Fields(in.Args)
			s := stage{Image: f[0]}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				s.Name = f[2]
			}
			df.Stages = append(df.Stages, s)
		case len(df.Stages) == 0:
			df.Args = append(df.Args, in)
		default:
			last := &df.Stages[len(df.Stages)-1]
			last.Body = append(last.Body, in)
		}
	}
	if len(df.Stages) == 0 {
		return nil, fmt.Errorf("Dockerfile: no FROM")
	}
	return df, nil
}

func (df *dockerfile) stage(name string) *stage {
	for i := range df.Stages {
		if df.Stages[i].Name == name {
			return &df.Stages[i]
		}
	}
	return nil
}

func (df *dockerfile) final() *stage { return &df.Stages[len(df.Stages)-1] }

// all returns the arguments of every cmd instruction in s.
func (s *stage) all(cmd string) []string {
	var out []string
	for _, in := range s.Body {
		if in.Cmd == cmd {
			out = append(out, in.Args)
		}
	}
	return out
}

// goBuild is the part of the build stage's RUN that builds the binary.
func (df *dockerfile) goBuild() (string, error) {
	s := df.stage("build")
	if s == nil {
		return "", fmt.Errorf("Dockerfile: no stage named build")
	}
	for _, run := range s.all("RUN") {
		if strings.Contains(run, "go build") {
			cmd, _, _ := strings.Cut(run, " && ")
			return cmd, nil
		}
	}
	return "", fmt.Errorf("Dockerfile: the build stage has no RUN ... go build")
}

func TestDockerfileBuildCommandBuildsAStaticStrippedStampedBinary(t *testing.T) {
	df, err := readDockerfile()
	if err != nil {
		t.Fatal(err)
	}
	run, err := df.goBuild()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "-s -w", "-o /out/nyxcore ."} {
		if !strings.Contains(run, want) {
			t.Errorf("the Dockerfile's go build lacks %q: %s", want, run)
		}
	}
	// The -X target must be the variable `version` prints, in this module.
	module := regexp.MustCompile(`(?m)^module (\S+)`).FindStringSubmatch(readFile(t, "go.mod"))[1]
	stamp := "-X " + module + "/app/command.Version=${VERSION}"
	if !strings.Contains(run, stamp) {
		t.Errorf("the Dockerfile's go build does not stamp %q: %s", stamp, run)
	}
	if mk := readFile(t, "Makefile"); !strings.Contains(mk, "-X "+module+"/app/command.Version=$(VERSION)") {
		t.Errorf("Makefile's LDFLAGS stamp a different variable than the Dockerfile")
	}

	bin := binary(t)
	code, out, errOut := nyxcore(t, t.TempDir(), "version")
	if code != 0 || !strings.HasPrefix(out, "nyxcore "+stampVersion+" ") {
		t.Fatalf("`nyxcore version` of the Dockerfile-built binary = %d %q %q; want the stamp %s", code, out, errOut, stampVersion)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatalf("the binary is not ELF: %v", err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary is dynamically linked (it has an ELF interpreter); distroless static cannot run it")
		}
	}
	for _, name := range []string{".symtab", ".debug_info"} {
		if f.Section(name) != nil {
			t.Errorf("the binary has %s: not stripped", name)
		}
	}
}

func TestDockerfileFinalImage(t *testing.T) {
	df, err := readDockerfile()
	if err != nil {
		t.Fatal(err)
	}
	final := df.final()

	users := final.all("USER")
	if len(users) == 0 {
		t.Fatal("the final stage has no USER: the server would run as root")
	}
	if u, _, _ := strings.Cut(users[len(users)-1], ":"); u == "root" || u == "0" || u == "" {
		t.Errorf("the final stage runs as %q; want a non-root user", users[len(users)-1])
	}

	entry := execForm(t, final, "ENTRYPOINT")
	if len(entry) != 1 {
		t.Fatalf("ENTRYPOINT = %q; want the binary alone", entry)
	}
	hc := final.all("HEALTHCHECK")
	if len(hc) != 1 {
		t.Fatalf("want one HEALTHCHECK in the final stage, got %q", hc)
	}
	_, form, ok := strings.Cut(hc[0], "CMD ")
	var probe []string
	if !ok || json.Unmarshal([]byte(form), &probe) != nil {
		t.Fatalf("HEALTHCHECK %q: want the exec form CMD [...] (the image has no shell)", hc[0])
	}
	if len(probe) < 2 || probe[0] != entry[0] || probe[1] != "healthcheck" {
		t.Errorf("HEALTHCHECK runs %q; want [%q healthcheck ...]", probe, entry[0])
	}

	env := envOf(final)
	for k := range env {
		if !isSetting(k) {
			t.Errorf("the image sets %s, which is not a nyxCore setting", k)
		}
	}
	if vols := final.all("VOLUME"); len(vols) != 1 || strings.Trim(vols[0], `[]" `) != env["NYX_DIR"] || env["NYX_DIR"] == "" {
		t.Errorf("VOLUME %q must be the data dir NYX_DIR=%q", vols, env["NYX_DIR"])
	}
	_, port, _ := strings.Cut(env["NYX_HTTP"], ":")
	if host, _, _ := strings.Cut(env["NYX_HTTP"], ":"); host != "0.0.0.0" {
		t.Errorf("NYX_HTTP=%q: inside a container the server must listen on every interface", env["NYX_HTTP"])
	}
	if exp := final.all("EXPOSE"); len(exp) != 1 || exp[0] != port {
		t.Errorf("EXPOSE %q; want the NYX_HTTP port %s", exp, port)
	}
}

func TestDockerfileImagesArePinnedAndStagesExist(t *testing.T) {
	df, err := readDockerfile()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, s := range df.Stages {
		switch {
		case s.Image == "scratch", strings.Contains(s.Image, "${"):
		case names[s.Image]:
		default:
			if !pinned(s.Image) {
				t.Errorf("FROM %s is not pinned to a version", s.Image)
			}
		}
		names[s.Name] = true
	}
	// FROM web-${WEB}: every value documented must be a stage.
	def := ""
	for _, a := range df.Args {
		if v, ok := strings.CutPrefix(a.Args, "WEB="); ok {
			def = v
		}
	}
	for _, v := range []string{def, "committed", "fresh"} {
		if !names["web-"+v] {
			t.Errorf("ARG WEB=%s has no stage web-%s", v, v)
		}
	}
	for _, s := range df.Stages {
		for _, cp := range s.all("COPY") {
			if m := regexp.MustCompile(`--from=(\S+)`).FindStringSubmatch(cp); m != nil && !names[m[1]] {
				t.Errorf("COPY --from=%s: no such stage", m[1])
			}
		}
	}
	// The Go toolchain image must be the go.mod toolchain's minor version.
	goLine := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindStringSubmatch(readFile(t, "go.mod"))[1]
	if b := df.stage("build"); b == nil || !strings.HasPrefix(b.Image, "golang:"+goLine) {
		t.Errorf("the build stage should use golang:%s (go.mod), not %v", goLine, b)
	}
}

func TestDockerignoreKeepsSecretsAndJunkOutOfTheContext(t *testing.T) {
	ignored, err := dockerignore(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{".git", "deploy/secrets", "nyx_data", "ui/node_modules", "dist"} {
		if !ignored(p) {
			t.Errorf(".dockerignore does not exclude %s", p)
		}
	}
	for _, p := range []string{"go.mod", "main.go", "embed/dist", "ui/package.json", "migrations"} {
		if ignored(p) {
			t.Errorf(".dockerignore excludes %s, which the image build needs", p)
		}
	}
	if !strings.Contains(readFile(t, ".gitignore"), "/deploy/secrets/") {
		t.Error(".gitignore does not exclude deploy/secrets/: generated secrets could be committed")
	}
}

func execForm(t *testing.T, s *stage, cmd string) []string {
	t.Helper()
	all := s.all(cmd)
	var v []string
	if len(all) == 0 || json.Unmarshal([]byte(all[len(all)-1]), &v) != nil {
		t.Fatalf("%s %q: want the exec form [...]", cmd, all)
	}
	return v
}

// envOf collects ENV k=v pairs (several per instruction).
func envOf(s *stage) map[string]string {
	env := map[string]string{}
	for _, e := range s.all("ENV") {
		for _, kv := range strings.Fields(e) {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
	}
	return env
}

// pinned reports whether an image reference names a version: a digest, or
// a tag other than latest where the tag or the image name carries a number
// (postgres:17.6-alpine, distroless/static-debian12:nonroot).
func pinned(image string) bool {
	if strings.Contains(image, "@sha256:") {
		return true
	}
	last := image[strings.LastIndex(image, "/")+1:]
	name, tag, ok := strings.Cut(last, ":")
	return ok && tag != "latest" && tag != "" && strings.ContainsAny(name+tag, "0123456789")
}
