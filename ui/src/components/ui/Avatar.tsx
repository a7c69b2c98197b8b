import { cx } from './cx'

const palette = ['#5b45e8', '#0e8f7e', '#c2410c', '#be185d', '#1d4ed8', '#7c3aed', '#0f766e', '#b45309']

function hash(s: string): number {
  let h = 0
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0
  return Math.abs(h)
}

export function initials(name: string, fallback = '?'): string {
  const parts = name.trim().split(/[\s@._-]+/).filter(Boolean)
  const s = ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[1]?.[0] ?? '') : '')).toUpperCase()
  return s || fallback
}

/** Avatar is a coloured initials disc; the colour is stable per seed. */
export function Avatar({ name, seed, size = 'md', square = false }: { name: string; seed: string; size?: 'sm' | 'md' | 'lg'; square?: boolean }) {
  return (
    <span
      aria-hidden="true"
      style={{ backgroundColor: palette[hash(seed) % palette.length] }}
      className={cx(
        'inline-flex shrink-0 items-center justify-center font-semibold text-white select-none',
        square ? 'rounded-lg' : 'rounded-full',
        size === 'sm' && 'h-6 w-6 text-[10px]',
        size === 'md' && 'h-8 w-8 text-xs',
        size === 'lg' && 'h-11 w-11 text-sm',
      )}
    >
      {initials(name)}
    </span>
  )
}
