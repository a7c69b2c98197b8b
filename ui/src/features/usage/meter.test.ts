import { describe, expect, it } from 'vitest'
import { meter, meterNote, meters } from './meter'

describe('usage meter maths', () => {
  it('treats a limit of 0 as unlimited', () => {
    const m = meter(1234, 0)
    expect(m).toMatchObject({ unlimited: true, state: 'unlimited', percent: 0, used: 1234 })
    expect(m.remaining).toBe(Infinity)
    expect(meterNote(m, 'day')).toBe('No budget is set.')
    expect(meter(undefined, undefined).state).toBe('unlimited')
    expect(meter(5, -1).unlimited).toBe(true)
  })

  it('computes the share used', () => {
    expect(meter(0, 1000)).toMatchObject({ percent: 0, remaining: 1000, state: 'ok' })
    expect(meter(250, 1000)).toMatchObject({ percent: 25, remaining: 750, state: 'ok' })
    expect(meter(800, 1000).state).toBe('ok')
    expect(meter(801, 1000)).toMatchObject({ state: 'warn', remaining: 199 })
    expect(meterNote(meter(250, 1000), 'month', String)).toBe('750 tokens left this month.')
  })

  it('clamps over 100 % and calls the budget spent', () => {
    const m = meter(1500, 1000)
    expect(m).toMatchObject({ percent: 100, remaining: 0, state: 'spent' })
    expect(meter(1000, 1000).state).toBe('spent')
    expect(meterNote(m, 'day')).toBe('Budget spent — turns are refused until tomorrow.')
    expect(meterNote(m, 'month')).toBe('Budget spent — turns are refused until next month.')
  })

  it('ignores nonsense numbers', () => {
    expect(meter(-5, 100)).toMatchObject({ used: 0, percent: 0 })
    expect(meter(Number.NaN, 100).used).toBe(0)
  })

  it('reads the four meters from the API answer, empty maps included', () => {
    const r = meters({
      limits: { tenant_daily: 1000, tenant_monthly: 0, user_daily: 100, user_monthly: 5000 },
      usage: { tenant_day: 900, tenant_month: 20, user_day: 150, user_month: 150 },
    })
    expect(r.map((x) => [x.kind.id, x.m.state])).toEqual([
      ['tenant_day', 'warn'],
      ['tenant_month', 'unlimited'],
      ['user_day', 'spent'],
      ['user_month', 'ok'],
    ])
    expect(meters({ limits: {}, usage: {} }).every((x) => x.m.state === 'unlimited' && x.m.used === 0)).toBe(true)
  })
})
