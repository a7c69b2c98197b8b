// @vitest-environment node
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { backoffDelay, EventParser, EventStream, type ConnectionState, type StateInfo, type StreamEvent } from './sse'

// A real local SSE server: each test gives it a handler per connection.
type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void
let server: Server | undefined
let streams: EventStream[] = []

async function serve(handler: Handler): Promise<{ url: string; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = []
  server = createServer((req, res) => {
    requests.push(req)
    handler(req, res, requests.length)
  })
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}/api/nyx/stream`, requests }
}

function open(res: ServerResponse) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' })
  res.flushHeaders()
}

afterEach(async () => {
  streams.forEach((s) => s.close())
  streams = []
  const srv = server
  server = undefined
  if (!srv) return
  srv.closeAllConnections()
  await new Promise((r) => srv.close(r))
})

function client(url: string, extra: Partial<ConstructorParameters<typeof EventStream>[0]> = {}) {
  const events: StreamEvent[] = []
  const states: [ConnectionState, StateInfo][] = []
  const s = new EventStream({
    url,
    headers: () => ({ Authorization: 'token-123' }),
    onEvent: (e) => events.push(e),
    onState: (st, info) => states.push([st, info]),
    backoff: { initialMs: 10, maxMs: 80, factor: 2 },
    random: () => 0.5,
    ...extra,
  })
  streams.push(s)
  return { s, events, states }
}

async function until(cond: () => boolean, ms = 3000) {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 5))
  }
}

describe('EventStream against a real server', () => {
  it('sends the Authorization header and parses events', async () => {
    const { url, requests } = await serve((_req, res) => {
      open(res)
      res.write(': hello\n\n')
      res.write('id: 1\nevent: delta\ndata: {"text":"Hel"}\n\n')
      res.write('id: 2\ndata: line one\ndata: line two\n\n')
    })
    const { s, events, states } = client(url)
    s.start()
    await until(() => events.length === 2)
    expect(requests[0]?.headers.authorization).toBe('token-123')
    expect(requests[0]?.headers.accept).toBe('text/event-stream')
    expect(requests[0]?.headers['last-event-id']).toBeUndefined()
    expect(events).toEqual([
      { id: '1', event: 'delta', data: '{"text":"Hel"}' },
      { id: '2', event: 'message', data: 'line one\nline two' },
    ])
    expect(states.map(([st]) => st)).toEqual(['connecting', 'open'])
    expect(s.state).toBe('open')
    expect(s.lastEventId).toBe('2')
  })

  it('reconnects after the stream ends and resumes with Last-Event-ID', async () => {
    const { url, requests } = await serve((req, res, n) => {
      open(res)
      if (n === 1) {
        res.end('id: 41\ndata: a\n\nid: 42\ndata: b\n\n')
        return
      }
      const from = Number(req.headers['last-event-id'])
      res.write(`id: ${from + 1}\ndata: c\n\n`)
    })
    const { s, events, states } = client(url)
    s.start()
    await until(() => events.length === 3)
    expect(requests[1]?.headers['last-event-id']).toBe('42')
    expect(requests[1]?.headers.authorization).toBe('token-123')
    expect(events.map((e) => e.id)).toEqual(['41', '42', '43'])
    expect(states.map(([st]) => st)).toEqual(['connecting', 'open', 'reconnecting', 'reconnecting', 'open'])
    const waiting = states.find(([st, info]) => st === 'reconnecting' && info.retryInMs !== undefined)
    expect(waiting?.[1]).toMatchObject({ attempt: 1, retryInMs: 8, error: 'stream ended' })
  })

  it('backs off exponentially while the server fails, then resets once connected', async () => {
    const { url, requests } = await serve((_req, res, n) => {
      if (n <= 4) {
        res.writeHead(503).end()
        return
      }
      open(res)
      res.write('data: up\n\n')
    })
    const { s, events, states } = client(url)
    s.start()
    await until(() => events.length === 1)
    const delays = states.filter(([, i]) => i.retryInMs !== undefined).map(([, i]) => i.retryInMs)
    // base 10, 20, 40, 80 (capped at maxMs 80); equal jitter at random 0.5 = 3/4 of base
    expect(delays).toEqual([8, 15, 30, 60])
    expect(states.find(([, i]) => i.error)?.[1].error).toBe('HTTP 503')
    expect(requests).toHaveLength(5)
    expect(s.state).toBe('open')
    expect(states.at(-1)).toEqual(['open', { attempt: 0 }])
  })

  it('stops for good on an answer retrying cannot fix', async () => {
    const { url, requests } = await serve((_req, res) => {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"code":"auth_required"}')
    })
    const { s, states } = client(url)
    s.start()
    await until(() => s.state === 'closed')
    await new Promise((r) => setTimeout(r, 50))
    expect(requests).toHaveLength(1)
    expect(states.at(-1)).toEqual(['closed', { attempt: 0, error: 'HTTP 401' }])
  })

  it('retries when the server is unreachable, and close() stops everything', async () => {
    const { url } = await serve(() => undefined)
    server?.close()
    server?.closeAllConnections()
    const { s, states } = client(url.replace(/:\d+\//, ':1/'))
    s.start()
    await until(() => states.filter(([st]) => st === 'reconnecting').length >= 3)
    s.close()
    const n = states.length
    await new Promise((r) => setTimeout(r, 60))
    expect(states.length).toBe(n)
    expect(s.state).toBe('closed')
  })

  it('honours the server retry field as the new base delay', async () => {
    const { url } = await serve((_req, res, n) => {
      open(res)
      if (n === 1) res.end('retry: 40\nid: 1\ndata: x\n\n')
      else res.write('data: y\n\n')
    })
    const { s, events, states } = client(url)
    s.start()
    await until(() => events.length === 2)
    expect(states.find(([, i]) => i.retryInMs !== undefined)?.[1].retryInMs).toBe(30)
  })
})

describe('backoffDelay', () => {
  const b = { initialMs: 1000, maxMs: 30_000, factor: 2 }
  it('grows exponentially and caps', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, b, () => 1))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000])
  })
  it('jitters within [base/2, base]', () => {
    expect(backoffDelay(3, b, () => 0)).toBe(4000)
    expect(backoffDelay(3, b, () => 0.999)).toBeLessThanOrEqual(8000)
    const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(4, b)))
    expect(spread.size).toBeGreaterThan(10)
    for (const d of spread) expect(d).toBeGreaterThanOrEqual(8000)
  })
})

describe('EventParser', () => {
  function parse(chunks: string[]) {
    const events: StreamEvent[] = []
    const ids: string[] = []
    const retries: number[] = []
    const p = new EventParser((e) => events.push(e), (id) => ids.push(id), (ms) => retries.push(ms))
    chunks.forEach((c) => p.push(c))
    return { events, ids, retries }
  }

  it('handles CRLF, CR and LF, even split across chunks', () => {
    const { events } = parse(['data: a\r', '\n\r\ndata: b\r\rdata', ': c\n', '\n'])
    expect(events.map((e) => e.data)).toEqual(['a', 'b', 'c'])
  })

  it('ignores comments, unknown fields and bad retry values; keeps values without a leading space', () => {
    const { events, retries } = parse([': ping\nfoo: bar\nretry: soon\nretry: 2500\ndata:x\ndata\n\n'])
    expect(events).toEqual([{ id: '', event: 'message', data: 'x\n' }])
    expect(retries).toEqual([2500])
  })

  it('does not dispatch an event without data, but remembers its id', () => {
    const { events, ids } = parse(['id: 7\nevent: ping\n\n', 'data: z\n\n'])
    expect(ids).toEqual(['7'])
    expect(events).toEqual([{ id: '7', event: 'message', data: 'z' }])
  })
})
