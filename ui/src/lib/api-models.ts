// The model side of the API client: providers, models, personas and
// discussions. It is part of the one client in api.ts, which re-exports
// everything here; import from './api', never from this file, so the
// client module is always initialised first.
import { authHeader, pb } from './pb'
import { ApiError, request } from './api'
import { EventParser, type StreamEvent } from './sse'

export const providerKinds = ['ollama', 'openai', 'anthropic', 'google'] as const
export type ProviderKind = (typeof providerKinds)[number]

export type Provider = {
  id: string
  kind: ProviderKind
  name: string
  base_url: string
  api_key_set: boolean
  api_key_last4: string
  enabled_models: string[]
  enabled: boolean
  builtin: boolean
  /** operator: one of the server operator's shared Ollama hosts. */
  operator: boolean
  /** manageable: this workspace's admins may pull and delete models on it. */
  manageable: boolean
}

export type ProviderBody = {
  kind: ProviderKind
  name: string
  base_url: string
  api_key?: string | null
  enabled?: boolean
}

export type ProviderTest = { ok: true } | { ok: false; error: { code: string; message: string; data?: { status?: number } } }

export type Model = {
  provider_id: string
  provider_kind: ProviderKind
  provider_name: string
  name: string
  family: string
  parameter_size: string
  quantization: string
  size: number
  context_length: number
  loaded: boolean
  /** manageable: false on the operator's shared hosts (read-only for workspaces). */
  manageable: boolean
}

export type ProviderProblem = { provider_id: string; code: string; message: string }
export type ModelList = { items: Model[]; errors: ProviderProblem[] }

export type PersonaOptions = {
  top_p?: number
  top_k?: number
  seed?: number
  max_tokens?: number
  num_ctx?: number
  stop?: string[]
}

export type Persona = {
  id: string
  name: string
  avatar: string
  color: string
  provider_id: string
  model: string
  system_prompt: string
  temperature: number | null
  options: PersonaOptions
}

export type PersonaBody = Omit<Persona, 'id'>

export type Mode = 'single' | 'parallel' | 'consensus'

export type Discussion = {
  id: string
  title: string
  mode: Mode
  persona_ids: string[]
  moderator_persona_id: string
  consensus: { max_rounds: number; threshold: number }
  created_by: string
  running_turn_id: string
  created_at: string
  updated_at: string
}

export type NewDiscussion = {
  title?: string
  mode: Mode
  persona_ids: string[]
  moderator_persona_id?: string
  consensus?: { max_rounds: number; threshold: number }
}

export type MessageStatus = 'streaming' | 'done' | 'stopped' | 'error' | 'interrupted'

export type Usage = {
  prompt_tokens: number
  completion_tokens: number
  ttft_ms: number
  total_ms: number
  tokens_per_second: number
  done_reason?: string
  num_ctx?: number
  truncation_risk?: boolean
}

export type Message = {
  id: string
  seq: number
  turn_id: string
  role: 'user' | 'assistant' | 'moderator'
  persona_id: string
  author_id?: string
  content: string
  status: MessageStatus
  round?: number
  provider_id?: string
  model?: string
  usage: Usage | null
  error?: string
  metadata: { trimmed?: number } | null
  created_at: string
  updated_at: string
}

export type Round = { turn_id: string; round: number; agreement: number; method: string; explanation: string }

export type DiscussionDetail = { discussion: Discussion; messages: Message[]; next_after: number; rounds: Round[] }

/** AuditEntry is one line of a workspace's append-only, hash-chained audit log. */
export type AuditEntry = {
  seq: number
  id: string
  at: string
  actor_id: string
  actor_email: string
  action: string
  target_type: string
  target_id: string
  ip: string
  user_agent: string
  details: Record<string, unknown> | null
  hash: string
  prev_hash: string
}

/** AuditPage is one page of the log, newest first; next_before is 0 on the last page. */
export type AuditPage = { items: AuditEntry[]; next_before: number }

/** UsageReport is LLM tokens used today and this month (UTC) against the budgets; a limit of 0 is unlimited. */
export type UsageReport = {
  limits: Partial<Record<'tenant_daily' | 'tenant_monthly' | 'user_daily' | 'user_monthly', number>>
  usage: Partial<Record<'tenant_day' | 'tenant_month' | 'user_day' | 'user_month', number>>
}

const seg = encodeURIComponent
const t = (ref: string) => `/tenants/${seg(ref)}`

/**
 * postStream POSTs body to an SSE endpoint of the API (EventSource cannot
 * POST) and hands every event to onEvent until the stream ends. A refusal
 * before the stream starts is thrown as an ApiError; aborting the signal
 * ends the stream quietly.
 */
export async function postStream(path: string, body: unknown, onEvent: (e: StreamEvent) => void, signal?: AbortSignal): Promise<void> {
  const headers: Record<string, string> = { Accept: 'text/event-stream', 'Content-Type': 'application/json' }
  const token = authHeader()
  if (token) headers.Authorization = token
  let res: Response
  try {
    res = await fetch('/api/nyx' + path, { method: 'POST', headers, body: JSON.stringify(body), signal })
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') return
    throw new ApiError(0, 'network')
  }
  if (!res.ok || !(res.headers.get('Content-Type') ?? '').startsWith('text/event-stream')) throw await toApiError(res)
  if (!res.body) return
  await readEvents(res.body, onEvent, signal)
}

/** readEvents parses a text/event-stream body into events until it ends or signal aborts. */
export async function readEvents(body: NonNullable<Response['body']>, onEvent: (e: StreamEvent) => void, signal?: AbortSignal): Promise<void> {
  const parser = new EventParser(onEvent, () => undefined, () => undefined)
  const reader = body.pipeThrough(new TextDecoderStream()).getReader()
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      parser.push(value)
    }
  } catch (err) {
    if (signal?.aborted || (err instanceof DOMException && err.name === 'AbortError')) return
    throw new ApiError(0, 'network')
  } finally {
    reader.releaseLock()
  }
}

async function toApiError(res: Response): Promise<ApiError> {
  const data = (await res.json().catch(() => undefined)) as { code?: unknown; message?: unknown; data?: { field?: unknown } } | undefined
  const code = typeof data?.code === 'string' ? data.code : res.status >= 500 ? 'internal' : 'unknown'
  const field = typeof data?.data?.field === 'string' ? data.data.field : undefined
  if (res.status === 401) pb.authStore.clear()
  return new ApiError(res.status, code, typeof data?.message === 'string' ? data.message : undefined, field)
}

/**
 * download fetches a file from the API with the Authorization header and
 * hands it to the browser as a download.
 */
export async function download(path: string, fallbackName: string): Promise<void> {
  const token = authHeader()
  let res: Response
  try {
    res = await fetch('/api/nyx' + path, { headers: token ? { Authorization: token } : {} })
  } catch {
    throw new ApiError(0, 'network')
  }
  if (!res.ok) throw await toApiError(res)
  const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? fallbackName
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** streamEvents are SSE event names every model stream ends with. */
export type StreamError = { code: string; message: string }

export const modelEndpoints = {
  providers: (ref: string, signal?: AbortSignal) => request<{ items: Provider[] }>('GET', `${t(ref)}/providers`, undefined, signal),
  createProvider: (ref: string, body: ProviderBody) => request<Provider>('POST', `${t(ref)}/providers`, body),
  updateProvider: (ref: string, id: string, body: Partial<ProviderBody>) => request<Provider>('PATCH', `${t(ref)}/providers/${seg(id)}`, body),
  deleteProvider: (ref: string, id: string) => request<void>('DELETE', `${t(ref)}/providers/${seg(id)}`),
  testProvider: (ref: string, id: string) => request<ProviderTest>('POST', `${t(ref)}/providers/${seg(id)}/test`, {}),
  models: (ref: string, signal?: AbortSignal) => request<ModelList>('GET', `${t(ref)}/models`, undefined, signal),
  pullModel: (ref: string, body: { provider: string; model: string }, onEvent: (e: StreamEvent) => void, signal?: AbortSignal) =>
    postStream(`${t(ref)}/models/pull`, body, onEvent, signal),
  deleteModel: (ref: string, provider: string, model: string) =>
    request<void>('DELETE', `${t(ref)}/models?provider=${seg(provider)}&model=${seg(model)}`),
  personas: (ref: string, signal?: AbortSignal) => request<{ items: Persona[] }>('GET', `${t(ref)}/personas`, undefined, signal),
  createPersona: (ref: string, body: PersonaBody) => request<Persona>('POST', `${t(ref)}/personas`, body),
  updatePersona: (ref: string, id: string, body: Partial<PersonaBody>) => request<Persona>('PATCH', `${t(ref)}/personas/${seg(id)}`, body),
  deletePersona: (ref: string, id: string) => request<void>('DELETE', `${t(ref)}/personas/${seg(id)}`),
  tryPersona: (ref: string, id: string, message: string, onEvent: (e: StreamEvent) => void, signal?: AbortSignal) =>
    postStream(`${t(ref)}/personas/${seg(id)}/try`, { message }, onEvent, signal),
  discussions: (ref: string, q: string, signal?: AbortSignal) =>
    request<{ items: Discussion[] }>('GET', `${t(ref)}/discussions${q ? '?q=' + seg(q) : ''}`, undefined, signal),
  createDiscussion: (ref: string, body: NewDiscussion) => request<Discussion>('POST', `${t(ref)}/discussions`, body),
  discussion: (ref: string, id: string, signal?: AbortSignal) =>
    request<DiscussionDetail>('GET', `${t(ref)}/discussions/${seg(id)}?limit=500`, undefined, signal),
  renameDiscussion: (ref: string, id: string, title: string) => request<Discussion>('PATCH', `${t(ref)}/discussions/${seg(id)}`, { title }),
  deleteDiscussion: (ref: string, id: string) => request<void>('DELETE', `${t(ref)}/discussions/${seg(id)}`),
  postMessage: (ref: string, id: string, content: string) =>
    request<{ turn_id: string; message: Message }>('POST', `${t(ref)}/discussions/${seg(id)}/messages`, { content }),
  stopTurn: (ref: string, id: string) => request<{ stopped: boolean }>('POST', `${t(ref)}/discussions/${seg(id)}/stop`, {}),
  regenerate: (ref: string, id: string) => request<{ turn_id: string }>('POST', `${t(ref)}/discussions/${seg(id)}/regenerate`, {}),
  exportDiscussion: (ref: string, id: string, format: 'md' | 'json') =>
    download(`${t(ref)}/discussions/${seg(id)}/export?format=${format}`, `discussion-${id}.${format}`),
  /** audit takes a query string built by features/audit/filters.ts (with its leading "?", or empty). */
  audit: (ref: string, query: string, signal?: AbortSignal) => request<AuditPage>('GET', `${t(ref)}/audit${query}`, undefined, signal),
  exportAudit: (ref: string, query: string) => download(`${t(ref)}/audit${query}`, 'audit.csv'),
  usage: (ref: string, signal?: AbortSignal) => request<UsageReport>('GET', `${t(ref)}/usage`, undefined, signal),
  /** discussionEventsUrl and tenantEventsUrl are SSE endpoints for EventStream. */
  discussionEventsUrl: (ref: string, id: string) => `/api/nyx${t(ref)}/discussions/${seg(id)}/events`,
  tenantEventsUrl: (ref: string) => `/api/nyx${t(ref)}/events`,
}
