// Builds the real nyxcore binary (unless NYX_E2E_BINARY names one) and runs
// it in embedded mode on a free port with a throwaway data directory.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const repo = resolve(import.meta.dirname, '../..')

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer()
    s.once('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => ok(port))
    })
  })
}

export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'nyx-e2e-'))
  let bin = process.env.NYX_E2E_BINARY
  if (!bin) {
    bin = join(dir, 'nyxcore')
    execFileSync('go', ['build', '-o', bin, '.'], { cwd: repo, stdio: 'inherit', env: { ...process.env, CGO_ENABLED: '0' } })
  }
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const log = []
  const proc = spawn(bin, ['serve', '--http', `127.0.0.1:${port}`, '--dir', join(dir, 'data')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NYX_DATABASE_URL: '', NYX_REDIS_URL: '' },
  })
  proc.stdout.on('data', (b) => log.push(String(b)))
  proc.stderr.on('data', (b) => log.push(String(b)))
  const deadline = Date.now() + 60_000
  for (;;) {
    if (proc.exitCode !== null) throw new Error('nyxcore exited:\n' + log.join(''))
    try {
      const r = await fetch(url + '/api/nyx/health')
      if (r.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('nyxcore did not become healthy:\n' + log.join(''))
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url,
    log,
    /** superuser creates an admin-console account with the binary's own command. */
    superuser(email, password) {
      execFileSync(bin, ['superuser', 'upsert', email, password, '--dir', join(dir, 'data')], { stdio: 'pipe' })
    },
    /** cli runs another command of the binary against the same data directory (e.g. budget set). */
    cli(...args) {
      return execFileSync(bin, [...args, '--dir', join(dir, 'data')], { stdio: 'pipe' }).toString()
    },
    async stop() {
      proc.kill('SIGTERM')
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
