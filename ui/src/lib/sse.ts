// A Server-Sent Events client built on fetch, so it can send the
// Authorization header (EventSource cannot). It reconnects with exponential
// backoff and jitter, resumes with Last-Event-ID, and reports its state.

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'

export type StreamEvent = { id: string; event: string; data: string }

export type Backoff = { initialMs: number; maxMs: number; factor: number }

export type StateInfo = {
  attempt: number
  /** retryInMs is set while reconnecting: how long until the next attempt. */
  retryInMs?: number
  /** error describes why the last connection ended, if it failed. */
  error?: string
}

export type StreamOptions = {
  url: string
  /** headers is called before every connection, so a refreshed token is used. */
  headers?: () => Record<string, string>
  onEvent: (e: StreamEvent) => void
  onState?: (state: ConnectionState, info: StateInfo) => void
  backoff?: Partial<Backoff>
  /** lastEventId resumes an earlier stream. */
  lastEventId?: string
  random?: () => number
  fetch?: typeof fetch
}

export const defaultBackoff: Backoff = { initialMs: 1000, maxMs: 30_000, factor: 2 }

/**
 * backoffDelay is the wait before reconnect attempt n (0-based): the
 * exponential base, capped, with "equal jitter" — half fixed, half random —
 * so clients that dropped together do not come back together, yet never
 * retry immediately.
 */
export function backoffDelay(attempt: number, b: Backoff, random: () => number = Math.random): number {
  const base = Math.min(b.maxMs, b.initialMs * Math.pow(b.factor, Math.max(0, attempt)))
  return Math.round(base / 2 + random() * (base / 2))
}

/** HTTP answers that retrying cannot fix: the stream closes for good. */
const fatalStatus = new Set([400, 401, 403, 404, 405, 410])

/** EventStream is one logical stream across reconnections. */
export class EventStream {
  private readonly opts: StreamOptions
  private readonly backoff: Backoff
  private readonly random: () => number
  private controller: AbortController | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private attempt = 0
  private stopped = false
  private _state: ConnectionState = 'idle'
  private _lastEventId: string

  constructor(opts: StreamOptions) {
    this.opts = opts
    this.backoff = { ...defaultBackoff, ...opts.backoff }
    this.random = opts.random ?? Math.random
    this._lastEventId = opts.lastEventId ?? ''
  }

  get state(): ConnectionState {
    return this._state
  }

  get lastEventId(): string {
    return this._lastEventId
  }

  /** start opens the stream; it keeps reconnecting until close(). */
  start(): void {
    if (this.stopped || this._state !== 'idle') return
    void this.connect()
  }

  /** close ends the stream for good. */
  close(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.controller?.abort()
    this.setState('closed', { attempt: this.attempt })
  }

  private setState(state: ConnectionState, info: StateInfo): void {
    this._state = state
    this.opts.onState?.(state, info)
  }

  private async connect(): Promise<void> {
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting', { attempt: this.attempt })
    const controller = new AbortController()
    this.controller = controller
    const headers: Record<string, string> = { Accept: 'text/event-stream', 'Cache-Control': 'no-cache', ...this.opts.headers?.() }
    if (this._lastEventId) headers['Last-Event-ID'] = this._lastEventId
    const doFetch = this.opts.fetch ?? fetch
    let error: string
    try {
      const res = await doFetch(this.opts.url, { headers, signal: controller.signal, cache: 'no-store' })
      const type = res.headers.get('Content-Type') ?? ''
      if (!res.ok || !type.startsWith('text/event-stream')) {
        await res.body?.cancel().catch(() => undefined)
        if (fatalStatus.has(res.status)) {
          this.stopped = true
          this.setState('closed', { attempt: this.attempt, error: `HTTP ${res.status}` })
          return
        }
        throw new Error(res.ok ? `unexpected content type ${type || '(none)'}` : `HTTP ${res.status}`)
      }
      this.attempt = 0
      this.setState('open', { attempt: 0 })
      await this.read(res)
      error = 'stream ended'
    } catch (err) {
      if (this.stopped) return
      error = err instanceof Error ? err.message : String(err)
    }
    if (this.stopped) return
    this.scheduleReconnect(error)
  }

  private scheduleReconnect(error: string): void {
    const retryInMs = backoffDelay(this.attempt, this.backoff, this.random)
    this.attempt++
    this.setState('reconnecting', { attempt: this.attempt, retryInMs, error })
    this.timer = setTimeout(() => {
      this.timer = null
      if (!this.stopped) void this.connect()
    }, retryInMs)
  }

  private async read(res: Response): Promise<void> {
    if (!res.body) return
    const parser = new EventParser((e) => this.opts.onEvent(e), (id) => (this._lastEventId = id), (ms) => (this.backoff.initialMs = ms))
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      parser.push(value)
    }
  }
}

/**
 * EventParser implements the text/event-stream format from the HTML
 * standard: fields, comments, multi-line data, id, retry, and every line
 * ending (CRLF, LF, CR — including a CRLF split across chunks).
 */
export class EventParser {
  private buffer = ''
  private pendingCR = false
  private data: string[] = []
  private event = ''
  private hasData = false
  private id = ''

  constructor(
    private readonly onEvent: (e: StreamEvent) => void,
    private readonly onId: (id: string) => void,
    private readonly onRetry: (ms: number) => void,
  ) {}

  push(chunk: string): void {
    if (this.pendingCR && chunk.startsWith('\n')) chunk = chunk.slice(1)
    this.pendingCR = false
    this.buffer += chunk
    let start = 0
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i]
      if (c !== '\n' && c !== '\r') continue
      this.line(this.buffer.slice(start, i))
      if (c === '\r') {
        if (i + 1 === this.buffer.length) this.pendingCR = true
        else if (this.buffer[i + 1] === '\n') i++
      }
      start = i + 1
    }
    this.buffer = this.buffer.slice(start)
  }

  private line(line: string): void {
    if (line === '') return this.dispatch()
    if (line.startsWith(':')) return
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    let value = colon < 0 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    switch (field) {
      case 'data':
        this.data.push(value)
        this.hasData = true
        break
      case 'event':
        this.event = value
        break
      case 'id':
        if (!value.includes('\0')) {
          this.id = value
          this.onId(value)
        }
        break
      case 'retry':
        if (/^\d+$/.test(value)) this.onRetry(Number(value))
        break
    }
  }

  private dispatch(): void {
    if (this.hasData) this.onEvent({ id: this.id, event: this.event || 'message', data: this.data.join('\n') })
    this.data = []
    this.hasData = false
    this.event = ''
  }
}
