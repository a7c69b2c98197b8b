import { useEffect, useRef, useState } from 'react'
import { authHeader } from './pb'
import { EventStream, type ConnectionState, type StreamEvent } from './sse'

/**
 * useEventStream subscribes to an SSE endpoint of the API for as long as the
 * component is mounted (url null: not at all) and reports the connection
 * state for a ConnectionIndicator. Discussions will use it for live turns.
 */
export function useEventStream(url: string | null, onEvent: (e: StreamEvent) => void): { state: ConnectionState; retryInMs?: number } {
  const [status, setStatus] = useState<{ state: ConnectionState; retryInMs?: number }>({ state: 'idle' })
  const handler = useRef(onEvent)
  handler.current = onEvent
  useEffect(() => {
    if (!url) return
    const stream = new EventStream({
      url,
      headers: (): Record<string, string> => {
        const token = authHeader()
        return token ? { Authorization: token } : {}
      },
      onEvent: (e) => handler.current(e),
      onState: (state, info) => setStatus(info.retryInMs === undefined ? { state } : { state, retryInMs: info.retryInMs }),
    })
    stream.start()
    return () => stream.close()
  }, [url])
  return status
}
