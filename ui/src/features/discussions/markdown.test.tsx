import { render } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { Markdown } from './Markdown'
import { renderMarkdown } from './markdown'

describe('renderMarkdown', () => {
  it('renders Markdown with code blocks and a copy button', () => {
    const html = renderMarkdown('# Title\n\n**bold** and `x`\n\n```go\nfmt.Println("<hi>")\n```')
    expect(html).toContain('<h1>Title</h1>')
    expect(html).toContain('<strong>bold</strong>')
    expect(html).toContain('class="language-go"')
    expect(html).toContain('&lt;hi&gt;')
    expect(html).toMatch(/<button[^>]*data-copy/)
  })

  it.each([
    ['a script tag', '<script>window.pwned = 1</script>'],
    ['an onerror attribute', '<img src=x onerror="window.pwned = 1">'],
    ['a javascript: link', '[click](javascript:window.pwned=1)'],
    ['an inline handler in a block', '<div onclick="window.pwned=1">hi</div>'],
    ['a nested svg', '<svg><script>window.pwned=1</script></svg>'],
  ])('never lets %s reach the DOM', (_, src) => {
    const { container } = render(<Markdown text={src} />)
    expect(container.querySelector('script, img, svg, iframe')).toBeNull()
    for (const el of container.querySelectorAll('*')) {
      for (const a of el.attributes) {
        expect(a.name.startsWith('on'), `${el.tagName} has ${a.name}`).toBe(false)
        expect(a.value).not.toMatch(/^\s*javascript:/i)
      }
    }
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined()
  })

  it('shows raw HTML as text', () => {
    const { container } = render(<Markdown text={'<b>not bold</b>'} />)
    expect(container.querySelector('b')).toBeNull()
    expect(container.textContent).toContain('<b>not bold</b>')
  })

  it('opens links in a new tab without an opener', () => {
    const { container } = render(<Markdown text="[docs](https://example.com)" />)
    const a = container.querySelector('a')
    expect(a?.getAttribute('href')).toBe('https://example.com')
    expect(a?.getAttribute('rel')).toContain('noopener')
  })
})
