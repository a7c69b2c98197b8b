import { createHash } from 'node:crypto'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { Plugin } from 'vite'

// serviceWorker emits /sw.js, which precaches the app shell: index.html,
// every built asset and the public files (manifest, icons). Its version is a
// hash of the precached files' names and contents, so the output is
// deterministic and a new build always installs a new worker.
export function serviceWorker(): Plugin {
  let publicDir = ''
  return {
    name: 'nyx-service-worker',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      publicDir = config.publicDir
    },
    generateBundle(_options, bundle) {
      const hash = createHash('sha256')
      const files: string[] = []
      for (const name of Object.keys(bundle).sort()) {
        if (name === 'index.html' || name.endsWith('.map')) continue
        const item = bundle[name]
        if (!item) continue
        files.push('/' + name)
        hash.update(name).update(item.type === 'chunk' ? item.code : item.source)
      }
      for (const path of walk(publicDir)) {
        const name = relative(publicDir, path).split('\\').join('/')
        files.push('/' + name)
        hash.update(name).update(readFileSync(path))
      }
      const html = bundle['index.html']
      const font = files.find((f) => /\/inter-latin-wght-normal-[^/]+\.woff2$/.test(f))
      if (html && html.type === 'asset') {
        if (font) {
          html.source = String(html.source).replace(
            '</title>',
            `</title>\n    <link rel="preload" href="${font}" as="font" type="font/woff2" crossorigin>`,
          )
        }
        hash.update(html.source)
      }
      const template = readFileSync(new URL('./sw-template.js', import.meta.url), 'utf8')
      const source = template
        .replace('__VERSION__', JSON.stringify(hash.digest('hex').slice(0, 16)))
        .replace('__PRECACHE__', JSON.stringify(['/', ...files.sort()], null, 2))
      this.emitFile({ type: 'asset', fileName: 'sw.js', source })
    },
  }
}

function walk(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) out.push(...walk(path))
    else out.push(path)
  }
  return out
}
