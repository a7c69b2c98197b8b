// Initial JavaScript budget for the sign-in route, measured on the build in
// ../embed/dist: the entry script, its modulepreloads, and the sign-in
// page's own chunk with its static imports, gzipped (level 9). Fails above
// the budget. Usage: node scripts/budget.mjs [--json]
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'

const BUDGET_KB = 200
const dist = new URL('../../embed/dist/', import.meta.url)
const html = readFileSync(new URL('index.html', dist), 'utf8')

const entry = [...html.matchAll(/<script[^>]+type="module"[^>]+src="\/([^"]+)"/g)].map((m) => m[1])
const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+)"/g)].map((m) => m[1])
if (entry.length !== 1) throw new Error(`expected one entry script in index.html, found ${entry.length}`)

const read = (f) => readFileSync(new URL(f, dist), 'utf8')

// The sign-in chunk is the dynamic import whose file name starts with SignIn-.
const entrySrc = read(entry[0])
const signIn = [...entrySrc.matchAll(/assets\/(SignIn-[\w-]+\.js)/g)].map((m) => 'assets/' + m[1])[0]
if (!signIn) throw new Error('could not find the SignIn chunk referenced by the entry')

// Follow static imports (import ... from "./x.js") from a chunk, transitively.
function closure(start) {
  const seen = new Set()
  const todo = [start]
  while (todo.length) {
    const f = todo.pop()
    if (seen.has(f)) continue
    seen.add(f)
    const src = read(f)
    for (const m of src.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([\w.-]+\.js)["']/g)) todo.push('assets/' + m[1])
  }
  return seen
}

const files = new Set([...closure(entry[0]), ...preloads.flatMap((p) => [...closure(p)]), ...closure(signIn)])
let raw = 0
let gz = 0
const rows = []
for (const f of [...files].sort()) {
  const buf = readFileSync(new URL(f, dist))
  const z = gzipSync(buf, { level: 9 }).length
  raw += buf.length
  gz += z
  rows.push({ file: f, kb: +(buf.length / 1024).toFixed(1), gzipKb: +(z / 1024).toFixed(1) })
}
const result = { route: '/signin', files: rows, rawKb: +(raw / 1024).toFixed(1), gzipKb: +(gz / 1024).toFixed(1), budgetKb: BUDGET_KB }
if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2))
else {
  for (const r of rows) console.log(`  ${r.file.padEnd(40)} ${String(r.kb).padStart(7)} KB  ${String(r.gzipKb).padStart(6)} KB gzip`)
  console.log(`initial JS for /signin: ${result.gzipKb} KB gzip (${result.rawKb} KB raw), budget ${BUDGET_KB} KB`)
}
if (gz / 1024 > BUDGET_KB) {
  console.error(`over budget: ${result.gzipKb} KB gzip > ${BUDGET_KB} KB`)
  process.exit(1)
}
