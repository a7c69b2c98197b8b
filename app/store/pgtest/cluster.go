package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

const (
	// dirPrefix names cluster directories so the reaper can find orphans
	// without touching anything else in the temp dir.
	dirPrefix = "nyx-pgtest-"
	// ownerFile holds the PID of the test process that owns a cluster
	// directory; the reaper leaves the directory alone while it lives.
	ownerFile = "owner.pid"
	// reapGrace protects directories without an owner file, which another
	// process may have created a moment ago and not yet labelled.
	reapGrace = 10 * time.Minute
	// startAttempts bounds retries when the free port found by freePort is
	// taken by someone else before the server binds it.
	startAttempts = 5
)

// cluster is a throwaway PostgreSQL cluster living in dir: data/ holds the
// cluster, log the server log, and the Unix socket sits in dir itself.
type cluster struct {
	dir     string
	bin     string  // directory holding initdb, pg_ctl and postgres
	user    *osUser // unprivileged user to run as; nil unless we are root
	url     string
	startup time.Duration
}

// osUser is the unprivileged account the cluster runs as under root.
type osUser struct {
	name     string
	uid, gid int
	groups   []uint32
}

func (c *cluster) dataDir() string { return filepath.Join(c.dir, "data") }
func (c *cluster) logPath() string { return filepath.Join(c.dir, "log") }

// startCluster creates, starts and pings a new cluster. On failure it
// removes whatever it created, so a failed start leaks nothing.
func startCluster() (c *cluster, err error) {
	begin := time.Now()
	bin, err := findBinaries()
	if err != nil {
		return nil, err
	}
	u, err := clusterUser()
	if err != nil {
		return nil, err
	}
	bases := tempBases(u)
	reapStale(bases)
	base, err := pickBase(bases, u)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(base, dirPrefix+"*")
	if err != nil {
		return nil, err
	}
	c = &cluster{dir: dir, bin: bin, user: u}
	defer func() {
		if err != nil {
			if derr := c.destroy(); derr != nil {
				err = fmt.Errorf("%w (cleanup: %v)", err, derr)
			}
		}
	}()

	// Label the directory before anything can run in it, so a concurrent
	// reaper in another test process never mistakes it for an orphan.
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return c, err
	}
	if u != nil {
		if err := os.Chown(dir, u.uid, u.gid); err != nil {
			return c, fmt.Errorf("hand %s to user %s: %w", dir, u.name, err)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// --locale=C because the caller's LANG may name a locale that is not
	// installed, which makes initdb fail; C also makes collation the same
	// on every machine. --no-sync because the cluster is disposable.
	out, err := c.command(ctx, "initdb", "-D", c.dataDir(), "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C", "--no-sync").CombinedOutput()
	if err != nil {
		return c, fmt.Errorf("initdb in %s: %v\n%s", c.dir, err, out)
	}

	port, err := c.start(ctx)
	if err != nil {
		return c, err
	}
	c.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	if err := waitReady(c.url); err != nil {
		return c, fmt.Errorf("%v\nserver log %s:\n%s", err, c.logPath(), tailFile(c.logPath()))
	}
	c.startup = time.Since(begin)
	return c, nil
}

// start starts the server on a free port and returns the port. Finding a
// port and binding it are not atomic, so a port lost to another process in
// between is retried with a new one.
func (c *cluster) start(ctx context.Context) (int, error) {
	// The -o string goes through /bin/sh inside pg_ctl, hence the quoting.
	sock := shellQuote(c.dir)
	if len(c.dir)+len("/.s.PGSQL.65535") >= 104 {
		// Unix socket paths are limited to about 104 bytes; rather than
		// fail on a deep TMPDIR, go without the socket: tests use TCP.
		sock = "''"
	}
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return 0, err
		}
		opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"+
			" -c full_page_writes=off -c max_connections=200", port, sock)
		// Each attempt gets a fresh log so an error shows only its own cause.
		os.Remove(c.logPath())
		out, err := c.command(ctx, "pg_ctl", "-D", c.dataDir(), "-l", c.logPath(), "-w", "-t", "60",
			"-o", opts, "start").CombinedOutput()
		if err == nil {
			return port, nil
		}
		log := tailFile(c.logPath())
		if attempt < startAttempts && portTaken(log) {
			continue
		}
		return 0, fmt.Errorf("pg_ctl start in %s: %v\n%s\nserver log %s:\n%s", c.dir, err, out, c.logPath(), log)
	}
}

// destroy stops the server if it runs and removes the directory. When the
// server cannot be stopped the directory stays, because it is the only
// handle the next run's reaper has on the still running server.
func (c *cluster) destroy() error {
	if _, err := os.Stat(filepath.Join(c.dataDir(), "postmaster.pid")); err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		// Immediate mode skips the shutdown checkpoint: the data is
		// about to be deleted anyway.
		out, err := c.command(ctx, "pg_ctl", "-D", c.dataDir(), "-m", "immediate", "-w", "-t", "30", "stop").CombinedOutput()
		if err != nil {
			return fmt.Errorf("stop PostgreSQL in %s (left for the next run to reap): %v\n%s", c.dir, err, out)
		}
	}
	if err := os.RemoveAll(c.dir); err != nil {
		return fmt.Errorf("remove %s: %w", c.dir, err)
	}
	return nil
}

// command builds a command running the PostgreSQL program name as the
// cluster's user. It runs in the cluster directory because the test's own
// working directory may not be accessible to that user.
func (c *cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	path := filepath.Join(c.bin, name)
	var cmd *exec.Cmd
	switch {
	case c.user == nil:
		cmd = exec.CommandContext(ctx, path, args...)
	case runuserPath() != "":
		cmd = exec.CommandContext(ctx, runuserPath(), append([]string{"-u", c.user.name, "--", path}, args...)...)
	default:
		cmd = exec.CommandContext(ctx, path, args...)
		setCredential(cmd, c.user)
	}
	cmd.Dir = c.dir
	// pg_ctl start leaves a postmaster behind; should it ever hold on to
	// the output pipe, don't let Wait block on it forever.
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// runuserPath returns the path of util-linux runuser, or "" if there is
// none. sbin directories are tried too because they are often missing from
// PATH under go test.
func runuserPath() string {
	if p, err := exec.LookPath("runuser"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/runuser", "/sbin/runuser"} {
		if isExecutable(p) {
			return p
		}
	}
	return ""
}

// findBinaries returns the directory holding initdb and pg_ctl: the one of
// the initdb on PATH, else the highest version under /usr/lib/postgresql
// (where Debian puts them, off PATH). Both programs come from the same
// directory so their versions match.
func findBinaries() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if dir := filepath.Dir(p); isExecutable(filepath.Join(dir, "pg_ctl")) {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	dirs = slices.DeleteFunc(dirs, func(d string) bool {
		return !isExecutable(filepath.Join(d, "initdb")) || !isExecutable(filepath.Join(d, "pg_ctl"))
	})
	if len(dirs) == 0 {
		return "", errors.New("initdb and pg_ctl not found on PATH or under /usr/lib/postgresql/*/bin")
	}
	return highestVersion(dirs), nil
}

// highestVersion picks from .../<version>/bin directories the one with the
// highest version, comparing numerically so that 10 beats 9.6.
func highestVersion(dirs []string) string {
	version := func(d string) []int {
		var v []int
		for _, f := range strings.Split(filepath.Base(filepath.Dir(d)), ".") {
			n, _ := strconv.Atoi(f)
			v = append(v, n)
		}
		return v
	}
	return slices.MaxFunc(dirs, func(a, b string) int { return slices.Compare(version(a), version(b)) })
}

// clusterUser returns the user to run PostgreSQL as, or nil when the process
// is not root: PostgreSQL refuses to run as root.
func clusterUser() (*osUser, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.Atoi(u.Uid)
		gid, err2 := strconv.Atoi(u.Gid)
		if err1 != nil || err2 != nil || uid == 0 {
			continue
		}
		ou := &osUser{name: name, uid: uid, gid: gid}
		ids, _ := u.GroupIds()
		for _, id := range ids {
			if n, err := strconv.ParseUint(id, 10, 32); err == nil {
				ou.groups = append(ou.groups, uint32(n))
			}
		}
		if len(ou.groups) == 0 {
			ou.groups = []uint32{uint32(gid)}
		}
		return ou, nil
	}
	return nil, errors.New("running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as")
}

// inGroup reports whether gid is among u's groups.
func (u *osUser) inGroup(gid uint64) bool {
	return slices.ContainsFunc(u.groups, func(g uint32) bool { return uint64(g) == gid })
}

// tempBases lists the directories a cluster directory may be created in.
// Under root /tmp is the fallback for a TMPDIR the cluster's user cannot
// reach.
func tempBases(u *osUser) []string {
	bases := []string{os.TempDir()}
	if u != nil && os.TempDir() != "/tmp" {
		bases = append(bases, "/tmp")
	}
	return bases
}

// pickBase returns the first base the cluster's user can reach.
func pickBase(bases []string, u *osUser) (string, error) {
	if u == nil {
		return bases[0], nil
	}
	var errs []error
	for _, b := range bases {
		err := traversable(b, u)
		if err == nil {
			return b, nil
		}
		errs = append(errs, err)
	}
	return "", fmt.Errorf("no temp dir that user %s can reach (set TMPDIR to a world-searchable directory): %w", u.name, errors.Join(errs...))
}

// reapStale stops and removes clusters that earlier test processes left
// behind when they died without running Run's cleanup. It is best effort:
// anything it cannot prove to be orphaned, or cannot stop, it leaves.
func reapStale(bases []string) {
	for _, base := range bases {
		dirs, _ := filepath.Glob(filepath.Join(base, dirPrefix+"*"))
		for _, dir := range dirs {
			reapDir(dir)
		}
	}
}

// reapDir reaps one cluster directory if its owner is gone.
func reapDir(dir string) {
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return
	}
	if owner, ok := readPID(filepath.Join(dir, ownerFile)); ok {
		if owner == os.Getpid() || processAlive(owner) {
			return
		}
	} else if time.Since(fi.ModTime()) < reapGrace {
		return
	}
	data := filepath.Join(dir, "data")
	if pm, ok := readPID(filepath.Join(data, "postmaster.pid")); ok && processAlive(pm) {
		cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pm))
		if err != nil {
			return // cannot tell whether it is our postmaster; leave it
		}
		// A live PID that is not running on this data directory was
		// reused by an unrelated process after the postmaster died.
		if strings.Contains(string(cmdline), data) {
			// SIGQUIT is PostgreSQL's immediate shutdown.
			if terminate(pm) != nil {
				return
			}
			for i := 0; processAlive(pm); i++ {
				if i == 100 {
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
	}
	os.RemoveAll(dir)
}

// readPID reads the PID on the first line of path, the format of both
// owner.pid and PostgreSQL's postmaster.pid.
func readPID(path string) (int, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	first, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	return pid, err == nil && pid > 0
}

// waitReady waits until the server accepts a pgx connection. pg_ctl -w has
// normally waited already; this also proves the URL itself works.
func waitReady(connURL string) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		conn, err := pgx.Connect(ctx, connURL)
		if err == nil {
			err = conn.Ping(ctx)
			conn.Close(context.Background())
		}
		cancel()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("server at %s does not accept connections: %w", connURL, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// freePort asks the kernel for a free TCP port on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// portTaken reports whether a server log shows that the port was in use.
func portTaken(log string) bool {
	return strings.Contains(log, "Address already in use") || strings.Contains(log, "could not create any TCP/IP sockets")
}

// tailFile returns the last few KiB of path, enough to show why a server
// failed without flooding the test output.
func tailFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read: %v)", err)
	}
	const max = 4 << 10
	if len(b) > max {
		b = b[len(b)-max:]
		if i := strings.IndexByte(string(b), '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return string(b)
}

// shellQuote quotes s for /bin/sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// isExecutable reports whether path is a regular file with an execute bit.
func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}
