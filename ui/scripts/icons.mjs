// Renders public/favicon.svg into the PNG icons the manifest lists, with
// Debian's Chromium. Run by hand when the logo changes: node scripts/icons.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { chromium } from 'playwright-core'
import { chromiumArgs, chromiumPath } from '../e2e/browser.mjs'

const svg = readFileSync(new URL('../public/favicon.svg', import.meta.url), 'utf8')
const out = new URL('../public/icons/', import.meta.url)
mkdirSync(out, { recursive: true })
const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs })
const page = await browser.newPage()
const render = async (name, size, inset, bg) => {
  await page.setViewportSize({ width: size, height: size })
  const pad = Math.round(size * inset)
  await page.setContent(`<body style="margin:0;background:${bg}"><div style="padding:${pad}px;width:${size - 2 * pad}px;height:${size - 2 * pad}px">${svg.replace('<svg ', '<svg width="100%" height="100%" ')}</div></body>`)
  writeFileSync(new URL(name, out), await page.screenshot({ omitBackground: bg === 'transparent' }))
}
await render('icon-192.png', 192, 0, 'transparent')
await render('icon-512.png', 512, 0, 'transparent')
await render('apple-touch-icon.png', 180, 0, '#5b45e8')
// Maskable icons keep the logo inside the 80% safe zone on a full bleed.
await render('maskable-512.png', 512, 0.1, '#5b45e8')
await browser.close()
