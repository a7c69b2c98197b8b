import { describe, expect, it } from 'vitest'
import { api, readEvents } from '../../lib/api'
import type { StreamEvent } from '../../lib/sse'
import { humanSize, idlePull, pullReducer, type PullState } from './pull'

/** body streams the given chunks, as a server flushing SSE frames would. */
function body(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder()
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(enc.encode(ch))
      c.close()
    },
  })
}

async function run(chunks: string[]): Promise<{ states: PullState[]; events: StreamEvent[] }> {
  const events: StreamEvent[] = []
  const states: PullState[] = []
  let s = idlePull
  await readEvents(body(chunks) as NonNullable<Response['body']>, (e) => {
    events.push(e)
    s = pullReducer(s, e)
    states.push(s)
  })
  return { states, events }
}

describe('model pull progress', () => {
  it('parses progress frames split across chunks into a percentage, then done', async () => {
    const { states, events } = await run([
      'event: progress\ndata: {"status":"pulling manifest"}\n\n',
      'event: progress\ndata: {"status":"pulling abc","digest":"sha256:abc","total":2000,"comp',
      'leted":500}\n\nevent: progress\r\ndata: {"status":"pulling abc","digest":"sha256:abc","total":2000,"completed":2000}\r\n\r\n',
      'event: progress\ndata: {"status":"verifying sha256 digest"}\n\n',
      'event: done\ndata: {"model":"tiny"}\n\n',
    ])
    expect(events.map((e) => e.event)).toEqual(['progress', 'progress', 'progress', 'progress', 'done'])
    expect(states.map((s) => [s.phase, s.status, s.percent])).toEqual([
      ['pulling', 'pulling manifest', undefined],
      ['pulling', 'pulling abc', 25],
      ['pulling', 'pulling abc', 100],
      ['pulling', 'verifying sha256 digest', 100],
      ['done', 'success', 100],
    ])
  })

  it('turns an error event into the typed human message', async () => {
    const { states } = await run(['event: progress\ndata: {"status":"pulling manifest"}\n\n', 'event: error\ndata: {"code":"model_not_found","message":"x"}\n\n'])
    expect(states.at(-1)).toMatchObject({ phase: 'error', error: 'The provider does not have that model. Pull it or choose another.' })
  })

  it('posts with the body and throws a refusal before the stream as an ApiError', async () => {
    let sent: RequestInit | undefined
    globalThis.fetch = async (_: RequestInfo | URL, init?: RequestInit) => {
      sent = init
      return new Response(JSON.stringify({ code: 'not_supported', message: 'x', data: { field: 'provider' } }), { status: 400, headers: { 'Content-Type': 'application/json' } })
    }
    const err = await api.pullModel('acme', { provider: 'p', model: 'm' }, () => undefined).catch((e: unknown) => e)
    expect(sent?.method).toBe('POST')
    expect(JSON.parse(String(sent?.body))).toEqual({ provider: 'p', model: 'm' })
    expect(err).toMatchObject({ code: 'not_supported', status: 400, field: 'provider' })
  })

  it('streams a real response through the API client', async () => {
    globalThis.fetch = async () =>
      new Response(body(['event: progress\ndata: {"status":"pulling x","total":10,"completed":3}\n\n', 'event: done\ndata: {}\n\n']), {
        status: 200,
        headers: { 'Content-Type': 'text/event-stream' },
      })
    let s = idlePull
    await api.pullModel('acme', { provider: 'p', model: 'm' }, (e) => (s = pullReducer(s, e)))
    expect(s.phase).toBe('done')
  })

  it('writes sizes for people', () => {
    expect([humanSize(0), humanSize(512), humanSize(266_944), humanSize(4_700_000_000)]).toEqual(['—', '512 B', '267 KB', '4.7 GB'])
  })
})
