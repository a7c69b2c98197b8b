import { describe, expect, it } from 'vitest'
import type { DiscussionDetail, Message } from '../../lib/api'
import { applyEvent, upsertMessage } from './reducer'
import { groupTurns } from './Transcript'

const msg = (over: Partial<Message>): Message => ({
  id: 'm1',
  seq: 1,
  turn_id: 't1',
  role: 'assistant',
  persona_id: 'p1',
  content: '',
  status: 'streaming',
  usage: null,
  metadata: null,
  created_at: '',
  updated_at: '',
  ...over,
})

const base = (): DiscussionDetail => ({
  discussion: {
    id: 'd1',
    title: 'T',
    mode: 'parallel',
    persona_ids: ['p1', 'p2'],
    moderator_persona_id: '',
    consensus: { max_rounds: 3, threshold: 0.8 },
    created_by: 'u1',
    running_turn_id: '',
    created_at: '',
    updated_at: '',
  },
  messages: [msg({ id: 'u', seq: 1, role: 'user', content: 'hi', status: 'done', persona_id: '' })],
  next_after: 0,
  rounds: [],
})

const ev = (event: string, data: unknown, id = '') => ({ id, event, data: typeof data === 'string' ? data : JSON.stringify(data) })

describe('applyEvent', () => {
  it('upserts a message, appends deltas while it streams, and takes the final message as truth', () => {
    let d = base()
    d = applyEvent(d, ev('message', msg({ id: 'a', seq: 2 }))).detail!
    d = applyEvent(d, ev('delta', { key: 'a', text: 'Hel' })).detail!
    d = applyEvent(d, ev('delta', { key: 'a', text: 'lo' })).detail!
    expect(d.messages.map((m) => m.id)).toEqual(['u', 'a'])
    expect(d.messages[1]).toMatchObject({ content: 'Hello', status: 'streaming' })
    d = applyEvent(d, ev('message', msg({ id: 'a', seq: 2, content: 'Hello!', status: 'done' }))).detail!
    expect(d.messages).toHaveLength(2)
    expect(d.messages[1]).toMatchObject({ content: 'Hello!', status: 'done' })
  })

  it('keeps two streams apart and in seq order', () => {
    let d = base()
    d = applyEvent(d, ev('message', msg({ id: 'b', seq: 3, persona_id: 'p2' }))).detail!
    d = applyEvent(d, ev('message', msg({ id: 'a', seq: 2 }))).detail!
    d = applyEvent(d, ev('delta', { key: 'b', text: 'B' })).detail!
    d = applyEvent(d, ev('delta', { key: 'a', text: 'A' })).detail!
    expect(d.messages.map((m) => [m.id, m.content])).toEqual([
      ['u', 'hi'],
      ['a', 'A'],
      ['b', 'B'],
    ])
  })

  it('never mutates its input', () => {
    const d = base()
    const before = JSON.stringify(d)
    applyEvent(applyEvent(d, ev('message', msg({ id: 'a', seq: 2 }))).detail, ev('delta', { key: 'a', text: 'x' }))
    expect(JSON.stringify(d)).toBe(before)
  })

  it('asks for a refetch on reset and on a delta for an unknown message', () => {
    const d = base()
    expect(applyEvent(d, ev('reset', { reason: 'restarted' }))).toEqual({ detail: d, refetch: true })
    expect(applyEvent(d, ev('delta', { key: 'nope', text: 'x' })).refetch).toBe(true)
    expect(applyEvent(undefined, ev('message', msg({})))).toEqual({ detail: undefined, refetch: true })
  })

  it('tracks the running turn', () => {
    let d = base()
    d = applyEvent(d, ev('turn', { discussion_id: 'd1', turn_id: 't9', status: 'running' })).detail!
    expect(d.discussion.running_turn_id).toBe('t9')
    d = applyEvent(d, ev('turn', { discussion_id: 'd1', turn_id: 'old', status: 'done' })).detail!
    expect(d.discussion.running_turn_id).toBe('t9')
    d = applyEvent(d, ev('turn', { discussion_id: 'd1', turn_id: 't9', status: 'stopped' })).detail!
    expect(d.discussion.running_turn_id).toBe('')
  })

  it('upserts consensus rounds', () => {
    let d = base()
    d = applyEvent(d, ev('round', { turn_id: 't1', round: 2, agreement: 0.9, method: 'lexical', explanation: 'b' })).detail!
    d = applyEvent(d, ev('round', { turn_id: 't1', round: 1, agreement: 0.4, method: 'lexical', explanation: 'a' })).detail!
    d = applyEvent(d, ev('round', { turn_id: 't1', round: 1, agreement: 0.5, method: 'judge', explanation: 'a2' })).detail!
    expect(d.rounds.map((r) => [r.round, r.agreement])).toEqual([
      [1, 0.5],
      [2, 0.9],
    ])
  })

  it('ignores malformed data and unknown events', () => {
    const d = base()
    expect(applyEvent(d, ev('message', '{not json')).detail).toBe(d)
    expect(applyEvent(d, ev('heartbeat', {})).detail).toBe(d)
  })
})

describe('upsertMessage and groupTurns', () => {
  it('groups replies under the person’s message of their turn', () => {
    const list = upsertMessage(
      [msg({ id: 'u1', seq: 1, role: 'user', turn_id: 't1' }), msg({ id: 'a1', seq: 2, turn_id: 't1' })],
      msg({ id: 'u2', seq: 3, role: 'user', turn_id: 't2' }),
    )
    const turns = groupTurns(list)
    expect(turns.map((t) => [t.id, t.user?.id, t.replies.map((r) => r.id)])).toEqual([
      ['t1', 'u1', ['a1']],
      ['t2', 'u2', []],
    ])
  })
})

describe('markTurn (tenant activity)', () => {
  it('marks a listed discussion answering while its turn runs, and clears only that turn', async () => {
    const { markTurn } = await import('./useActivity')
    const list = [base().discussion, { ...base().discussion, id: 'd2' }]
    const running = markTurn(list, { discussion_id: 'd1', turn_id: 't1', status: 'running' })!
    expect(running.map((d) => d.running_turn_id)).toEqual(['t1', ''])
    expect(markTurn(running, { discussion_id: 'd1', turn_id: 'other', status: 'done' })![0]!.running_turn_id).toBe('t1')
    expect(markTurn(running, { discussion_id: 'd1', turn_id: 't1', status: 'done' })![0]!.running_turn_id).toBe('')
    expect(markTurn(undefined, { discussion_id: 'd1', turn_id: 't1', status: 'running' })).toBeUndefined()
  })
})
