// The maths of a token budget meter: used of limit, 0 = unlimited.
import type { UsageReport } from '../../lib/api'

export type MeterState = 'unlimited' | 'ok' | 'warn' | 'spent'

export type Meter = {
  used: number
  limit: number
  unlimited: boolean
  /** percent is used/limit as 0–100, clamped (0 when unlimited). */
  percent: number
  /** remaining is what is left (0 when spent or over; Infinity when unlimited). */
  remaining: number
  state: MeterState
}

/** warnAbove is the share of a budget above which the meter turns to the warning colour. */
export const warnAbove = 0.8

const clean = (n: number | undefined) => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0)

export function meter(usedIn: number | undefined, limitIn: number | undefined): Meter {
  const used = clean(usedIn)
  const limit = clean(limitIn)
  if (limit === 0) return { used, limit, unlimited: true, percent: 0, remaining: Infinity, state: 'unlimited' }
  const ratio = used / limit
  const state: MeterState = used >= limit ? 'spent' : ratio > warnAbove ? 'warn' : 'ok'
  return { used, limit, unlimited: false, percent: Math.min(100, ratio * 100), remaining: Math.max(0, limit - used), state }
}

export type MeterKind = { id: 'tenant_day' | 'tenant_month' | 'user_day' | 'user_month'; who: 'Workspace' | 'You'; period: 'day' | 'month' }

export const meterKinds: MeterKind[] = [
  { id: 'tenant_day', who: 'Workspace', period: 'day' },
  { id: 'tenant_month', who: 'Workspace', period: 'month' },
  { id: 'user_day', who: 'You', period: 'day' },
  { id: 'user_month', who: 'You', period: 'month' },
]

const limitOf = { tenant_day: 'tenant_daily', tenant_month: 'tenant_monthly', user_day: 'user_daily', user_month: 'user_monthly' } as const

/** meters turns the API's report into the four meters; missing numbers count as 0 (unlimited, nothing used). */
export function meters(r: UsageReport): { kind: MeterKind; m: Meter }[] {
  return meterKinds.map((kind) => ({ kind, m: meter(r.usage?.[kind.id], r.limits?.[limitOf[kind.id]]) }))
}

/** meterNote is the line under a meter: what is left, or when a spent budget renews. */
export function meterNote(m: Meter, period: 'day' | 'month', fmt: (n: number) => string = (n) => n.toLocaleString()): string {
  switch (m.state) {
    case 'unlimited':
      return 'No budget is set.'
    case 'spent':
      return `Budget spent — turns are refused until ${period === 'day' ? 'tomorrow' : 'next month'}.`
    default:
      return `${fmt(m.remaining)} tokens left ${period === 'day' ? 'today' : 'this month'}.`
  }
}
