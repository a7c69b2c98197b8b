import './markdown.css'
import { memo, useMemo, type MouseEvent } from 'react'
import { toast } from '../../components/ui/Toast'
import { cx } from '../../components/ui/cx'
import { renderMarkdown } from './markdown'

function onCopy(e: MouseEvent<HTMLDivElement>) {
  const button = (e.target as Element).closest('button[data-copy]')
  const code = button?.closest('.md-code')?.querySelector('code')
  if (!button || !code) return
  void navigator.clipboard?.writeText(code.textContent ?? '').then(
    () => {
      button.textContent = 'Copied'
      setTimeout(() => (button.textContent = 'Copy'), 1500)
    },
    () => toast('Couldn’t copy', { description: 'The browser did not allow access to the clipboard.', tone: 'error' }),
  )
}

/** Markdown shows message text as sanitised Markdown, with a copy button on code blocks. */
export const Markdown = memo(function Markdown({ text, className }: { text: string; className?: string }) {
  const html = useMemo(() => renderMarkdown(text), [text])
  return <div className={cx('md', className)} onClick={onCopy} dangerouslySetInnerHTML={{ __html: html }} />
})
