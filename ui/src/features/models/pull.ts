import { messageFor } from '../../lib/errors'
import type { StreamEvent } from '../../lib/sse'

/** PullState is what a model pull has reported so far. */
export type PullState = {
  phase: 'idle' | 'pulling' | 'done' | 'error' | 'cancelled'
  status: string
  digest: string
  total: number
  completed: number
  /** percent is 0–100 while a layer with a known size downloads, else undefined. */
  percent: number | undefined
  error: string
}

export const idlePull: PullState = { phase: 'idle', status: '', digest: '', total: 0, completed: 0, percent: undefined, error: '' }

type Progress = { status?: string; digest?: string; total?: number; completed?: number }

/**
 * pullReducer folds one SSE event of POST .../models/pull into the state:
 * "progress" {status,digest,total,completed}, then "done" or "error"
 * {code,message}. Ollama reports layer by layer, so the bar follows the
 * layer being downloaded and keeps its last figure through the steps
 * that have no size (verifying, writing the manifest).
 */
export function pullReducer(s: PullState, e: StreamEvent): PullState {
  let data: unknown
  try {
    data = JSON.parse(e.data)
  } catch {
    return s
  }
  switch (e.event) {
    case 'progress': {
      const p = data as Progress
      const sized = typeof p.total === 'number' && p.total > 0
      const completed = sized ? Math.min(p.completed ?? 0, p.total as number) : s.completed
      const total = sized ? (p.total as number) : s.total
      return {
        ...s,
        phase: 'pulling',
        status: p.status ?? s.status,
        digest: p.digest ?? (sized ? '' : s.digest),
        total,
        completed,
        percent: total > 0 ? Math.floor((completed / total) * 1000) / 10 : undefined,
      }
    }
    case 'done':
      return { ...s, phase: 'done', status: 'success', percent: 100 }
    case 'error': {
      const err = data as { code?: string; message?: string }
      return { ...s, phase: 'error', error: messageFor(err.code ?? 'unknown', err.message) }
    }
  }
  return s
}

const units = ['B', 'KB', 'MB', 'GB', 'TB']

/** humanSize writes a byte count the way people read it (1000-based, as Ollama does). */
export function humanSize(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return '—'
  let i = 0
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000
    i++
  }
  return `${n >= 100 || i === 0 ? Math.round(n) : n.toFixed(1)} ${units[i]}`
}
