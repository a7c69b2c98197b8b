package deploy

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// deploySection is the README's "## Deploy" section.
func deploySection(t *testing.T) string {
	t.Helper()
	readme := readFile(t, "README.md")
	_, after, ok := strings.Cut(readme, "\n## Deploy\n")
	if !ok {
		t.Fatal("README.md has no \"## Deploy\" section")
	}
	if i := strings.Index(after, "\n## "); i >= 0 {
		after = after[:i]
	}
	return after
}

// codeBlocks returns the fenced blocks of text.
func codeBlocks(text string) []string {
	var blocks []string
	parts := strings.Split(text, "```")
	for i := 1; i < len(parts); i += 2 {
		_, body, _ := strings.Cut(parts[i], "\n") // drop the language tag
		blocks = append(blocks, body)
	}
	return blocks
}

// secretsSnippet is the README block that creates deploy/secrets/.
func secretsSnippet(t *testing.T) string {
	t.Helper()
	for _, b := range codeBlocks(deploySection(t)) {
		if strings.Contains(b, "mkdir") && strings.Contains(b, "master_key") {
			return b
		}
	}
	t.Fatal("the README's Deploy section has no block creating deploy/secrets (mkdir ... master_key)")
	return ""
}

func TestReadmeDeploySectionNamesRealFilesAndCommands(t *testing.T) {
	sec := deploySection(t)
	for _, want := range []string{"docker compose -f deploy/compose.yaml up", "deploy/nyxcore.service", "make release", "docker build", "SHA256SUMS", "no container engine"} {
		if !strings.Contains(sec, want) {
			t.Errorf("the Deploy section does not mention %q", want)
		}
	}
	code := strings.Join(codeBlocks(sec), "\n") + "\n" + strings.Join(regexp.MustCompile("`([^`\n]+)`").FindAllString(sec, -1), "\n")

	// Every `nyxcore <command> [<subcommand>]` it shows exists.
	top := subcommands(t)
	for _, line := range strings.Split(code, "\n") {
		f := strings.Fields(strings.Trim(line, "`"))
		for i := 0; i+1 < len(f); i++ {
			if (f[i] != "nyxcore" && !strings.HasSuffix(f[i], "/nyxcore")) || !regexp.MustCompile(`^[a-z][a-z-]*$`).MatchString(f[i+1]) || f[i+1] == "nyxcore" {
				continue
			}
			if !slices.Contains(top, f[i+1]) {
				t.Errorf("the Deploy section runs `nyxcore %s`, which is not a command (%v)", f[i+1], top)
			} else if i+2 < len(f) && regexp.MustCompile(`^[a-z][a-z-]*$`).MatchString(f[i+2]) {
				if subs := subcommands(t, f[i+1]); len(subs) > 0 && !slices.Contains(subs, f[i+2]) {
					t.Errorf("the Deploy section runs `nyxcore %s %s`, which is not a command (%v)", f[i+1], f[i+2], subs)
				}
			}
		}
	}
	// Every `make <target>` it shows exists.
	mk := readFile(t, "Makefile")
	for _, m := range regexp.MustCompile(`\bmake ([a-z][a-z-]*)`).FindAllStringSubmatch(code, -1) {
		if !regexp.MustCompile(`(?m)^` + m[1] + `:`).MatchString(mk) {
			t.Errorf("the Deploy section runs `make %s`, which the Makefile does not have", m[1])
		}
	}
}

// subcommands lists the commands `nyxcore [parent] --help` offers.
func subcommands(t *testing.T, parent ...string) []string {
	t.Helper()
	code, out, errOut := nyxcore(t, t.TempDir(), append(parent, "--help")...)
	if code != 0 {
		t.Fatalf("nyxcore %v --help: exit %d %s", parent, code, errOut)
	}
	_, list, ok := strings.Cut(out, "Available Commands:\n")
	if !ok {
		return nil
	}
	var names []string
	for _, line := range strings.Split(list, "\n") {
		if !strings.HasPrefix(line, "  ") {
			break
		}
		names = append(names, strings.Fields(line)[0])
	}
	return names
}
