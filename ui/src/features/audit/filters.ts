// The audit log's filters and the query string the API takes:
// ?action= &actor= &since= &until= (RFC 3339) &before=<seq> &limit= &format=csv.

/** AuditFilters are what the page's controls hold; dates are local calendar days (YYYY-MM-DD), empty for none. */
export type AuditFilters = { action: string; actor: string; from: string; to: string }

export const noFilters: AuditFilters = { action: '', actor: '', from: '', to: '' }

export const pageSize = 50

/** dayStart is the RFC 3339 time (UTC, whole seconds) of local midnight at the start of a YYYY-MM-DD day, offset by days. */
export function dayStart(day: string, offsetDays = 0): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!m) return null
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + offsetDays)
  if (Number.isNaN(d.getTime())) return null
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * auditQuery builds the query string (with its "?", or "" when empty) for
 * the filters. "from" includes its whole day and "to" too: until is the
 * start of the next day, since the API's until is exclusive. A range given
 * backwards is swapped rather than answered with nothing.
 */
export function auditQuery(f: AuditFilters, page: { before?: number | undefined; limit?: number | undefined; format?: 'csv' | undefined } = {}): string {
  const q = new URLSearchParams()
  if (f.action) q.set('action', f.action)
  if (f.actor) q.set('actor', f.actor)
  let [from, to] = [f.from, f.to]
  if (from && to && from > to) [from, to] = [to, from]
  const since = from ? dayStart(from) : null
  const until = to ? dayStart(to, 1) : null
  if (since) q.set('since', since)
  if (until) q.set('until', until)
  if (page.before && page.before > 0) q.set('before', String(page.before))
  if (page.limit) q.set('limit', String(Math.min(Math.max(Math.trunc(page.limit), 1), 500)))
  if (page.format) q.set('format', page.format)
  const s = q.toString()
  return s ? '?' + s : ''
}

/** hasFilters tells whether any filter is set (for the empty state's copy and a "Clear" button). */
export const hasFilters = (f: AuditFilters) => Boolean(f.action || f.actor || f.from || f.to)
