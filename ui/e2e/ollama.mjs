// A real Ollama for the browser tests, from the cache the Go tests build
// (app/llm/ollamatest): the ollama binary under bin-*/ and the two tiny
// GGUF models under models-*/. It starts `ollama serve` with its own HOME,
// model directory and port, and creates tiny:latest and tiny-eos:latest
// exactly as app/llm/ollamatest/models.go does (blob upload, /api/create).
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'

// The same template and parameters as app/llm/ollamatest/models.go.
const chatTemplate = '{{- range .Messages }}<|{{ .Role }}|>{{ .Content }}\n{{ end }}<|assistant|>'
const modelParameters = { num_ctx: 512, num_thread: 1 }
const models = ['tiny', 'tiny-eos']

const hint = 'run `go test ./app/llm/ollamatest/` first: it builds the ollama binary and the test models into the cache'

/** findCache returns the cached ollama binary and model files, or a reason they are missing. */
export function findCache() {
  const roots = []
  if (process.env.NYX_OLLAMA_CACHE) roots.push(process.env.NYX_OLLAMA_CACHE)
  const base = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nyxcore')
  if (existsSync(base)) {
    for (const d of readdirSync(base).filter((d) => d.startsWith('ollama-')).sort().reverse()) roots.push(join(base, d))
  }
  for (const root of roots) {
    if (!existsSync(root)) continue
    const entries = readdirSync(root)
    const bin = entries.filter((d) => d.startsWith('bin-')).map((d) => join(root, d, 'ollama')).find((f) => existsSync(f))
    const dir = entries.filter((d) => d.startsWith('models-')).map((d) => join(root, d)).find((d) => models.every((m) => existsSync(join(d, m + '.gguf'))))
    if (bin && dir) return { bin, files: Object.fromEntries(models.map((m) => [m, join(dir, m + '.gguf')])) }
  }
  return { missing: `no cached Ollama in ${roots.join(', ') || base}: ${hint}` }
}

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

async function createModel(url, name, file) {
  const data = readFileSync(file)
  const digest = 'sha256:' + createHash('sha256').update(data).digest('hex')
  const blob = await fetch(`${url}/api/blobs/${digest}`, { method: 'POST', body: data })
  if (!blob.ok) throw new Error(`ollama: upload ${name}: HTTP ${blob.status} ${await blob.text()}`)
  const res = await fetch(`${url}/api/create`, {
    method: 'POST',
    body: JSON.stringify({ model: name, files: { [name + '.gguf']: digest }, template: chatTemplate, parameters: modelParameters }),
  })
  const lines = (await res.text()).trim().split('\n')
  const last = JSON.parse(lines[lines.length - 1] || '{}')
  if (!res.ok || last.status !== 'success') throw new Error(`ollama: create ${name}: ${lines.join(' ')}`)
}

/**
 * startOllama runs the cached Ollama with the two tiny models. Without a
 * cache it returns null, or throws under CI=true: a missing model server
 * must not pass as a green run.
 */
export async function startOllama() {
  const cache = findCache()
  if (cache.missing) {
    if (process.env.CI) throw new Error(cache.missing)
    return { skip: cache.missing }
  }
  const dir = mkdtempSync(join(tmpdir(), 'nyx-e2e-ollama-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'HOME' && !k.startsWith('OLLAMA_')))
  const logFile = join(dir, 'serve.log')
  const log = openSync(logFile, 'a')
  const proc = spawn(cache.bin, ['serve'], {
    cwd: dir,
    detached: true, // its own process group: stop() ends the runners too
    stdio: ['ignore', log, log],
    env: {
      ...env,
      HOME: join(dir, 'home'),
      OLLAMA_HOST: `127.0.0.1:${port}`,
      OLLAMA_MODELS: join(dir, 'models'),
      OLLAMA_NO_CLOUD: '1',
      OLLAMA_NUM_PARALLEL: '1',
      GIN_MODE: 'release',
    },
  })
  const tail = () => readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n')
  const stop = async () => {
    if (proc.exitCode === null) {
      try {
        process.kill(-proc.pid, 'SIGTERM')
      } catch {
        // already gone
      }
      const killed = await Promise.race([new Promise((r) => proc.once('exit', () => r(true))), new Promise((r) => setTimeout(() => r(false), 5000))])
      if (!killed) {
        try {
          process.kill(-proc.pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
    }
    rmSync(dir, { recursive: true, force: true })
  }
  const deadline = Date.now() + 30_000
  for (;;) {
    if (proc.exitCode !== null) throw new Error('ollama serve exited:\n' + tail())
    try {
      if ((await fetch(url + '/api/version')).ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error('ollama serve did not answer:\n' + tail())
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  try {
    for (const [name, file] of Object.entries(cache.files)) await createModel(url, name, file)
  } catch (err) {
    await stop()
    throw err
  }
  return { url, stop, tail }
}
