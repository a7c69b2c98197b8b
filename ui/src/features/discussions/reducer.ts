import type { DiscussionDetail, Message, Round } from '../../lib/api'
import type { StreamEvent } from '../../lib/sse'

/** Applied is the discussion after one live event, and whether it must be refetched. */
export type Applied = { detail: DiscussionDetail | undefined; refetch: boolean }

type Delta = { key: string; text: string }
type Turn = { discussion_id: string; turn_id: string; status: string }

function parse<T>(data: string): T | undefined {
  try {
    return JSON.parse(data) as T
  } catch {
    return undefined
  }
}

/**
 * applyEvent folds one event of GET .../discussions/{id}/events into the
 * discussion as GET .../discussions/{id} returned it: "message" upserts a
 * message by id (kept in seq order), "delta" appends text to a message
 * while it streams, "round" upserts a consensus round, "turn" tracks the
 * running turn, and "reset" (replay impossible) asks for a refetch. It
 * never mutates its input, so it can run inside setQueryData.
 */
export function applyEvent(detail: DiscussionDetail | undefined, e: StreamEvent): Applied {
  if (e.event === 'reset') return { detail, refetch: true }
  if (!detail) return { detail, refetch: e.event === 'message' || e.event === 'delta' }
  switch (e.event) {
    case 'message': {
      const m = parse<Message>(e.data)
      return m?.id ? { detail: { ...detail, messages: upsertMessage(detail.messages, m) }, refetch: false } : { detail, refetch: false }
    }
    case 'delta': {
      const d = parse<Delta>(e.data)
      if (!d?.key) return { detail, refetch: false }
      const i = detail.messages.findIndex((m) => m.id === d.key)
      // A delta for a message we never saw: we missed its "message" event.
      if (i < 0) return { detail, refetch: true }
      const messages = detail.messages.slice()
      const m = messages[i] as Message
      messages[i] = { ...m, content: m.content + d.text }
      return { detail: { ...detail, messages }, refetch: false }
    }
    case 'round': {
      const r = parse<Round>(e.data)
      if (!r || typeof r.round !== 'number') return { detail, refetch: false }
      const rounds = detail.rounds.filter((x) => !(x.turn_id === r.turn_id && x.round === r.round))
      rounds.push(r)
      rounds.sort((a, b) => (a.turn_id === b.turn_id ? a.round - b.round : a.turn_id < b.turn_id ? -1 : 1))
      return { detail: { ...detail, rounds }, refetch: false }
    }
    case 'turn': {
      const t = parse<Turn>(e.data)
      if (!t?.turn_id) return { detail, refetch: false }
      const cur = detail.discussion.running_turn_id
      const running = t.status === 'running' ? t.turn_id : cur === t.turn_id ? '' : cur
      if (running === cur) return { detail, refetch: false }
      return { detail: { ...detail, discussion: { ...detail.discussion, running_turn_id: running } }, refetch: false }
    }
  }
  return { detail, refetch: false }
}

/** upsertMessage replaces the message with m's id, or inserts m in seq order. */
export function upsertMessage(list: Message[], m: Message): Message[] {
  const i = list.findIndex((x) => x.id === m.id)
  if (i >= 0) {
    const out = list.slice()
    out[i] = m
    return out
  }
  const out = [...list, m]
  out.sort((a, b) => a.seq - b.seq)
  return out
}
