import DOMPurify from 'dompurify'
import { Marked, type Tokens } from 'marked'

// Message text is untrusted (models echo anything), so Markdown becomes
// HTML with raw HTML escaped by the renderer, and DOMPurify removes
// whatever could still run (script, event handlers, javascript: URLs).

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

const marked = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    // Raw HTML in a message is shown as text, never parsed.
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escape(text),
    code: ({ text, lang }: Tokens.Code) => {
      const language = (lang ?? '').match(/^[\w+#-]+/)?.[0] ?? ''
      return (
        `<div class="md-code"><div class="md-code-bar"><span>${escape(language || 'code')}</span>` +
        `<button type="button" data-copy aria-label="Copy code">Copy</button></div>` +
        `<pre><code${language ? ` class="language-${escape(language)}"` : ''}>${escape(text)}</code></pre></div>`
      )
    },
  },
})

let hooked = false

/** renderMarkdown turns message text into sanitised HTML. */
export function renderMarkdown(text: string): string {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank')
        node.setAttribute('rel', 'noopener noreferrer nofollow')
      }
    })
    hooked = true
  }
  const html = marked.parse(text, { async: false })
  return DOMPurify.sanitize(html, { FORBID_TAGS: ['style', 'form', 'input', 'textarea', 'select', 'iframe', 'img'], FORBID_ATTR: ['style'] })
}
