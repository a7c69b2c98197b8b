import { ChevronRight } from 'lucide-react'
import type { Discussion, Message, Persona, Round } from '../../lib/api'
import { cx } from '../../components/ui/cx'
import { MessageCard, UserMessage } from './MessageCard'

type Turn = { id: string; user: Message | undefined; replies: Message[] }

/** groupTurns splits messages (in seq order) into turns: a person's message and its replies. */
export function groupTurns(messages: Message[]): Turn[] {
  const turns: Turn[] = []
  const byId = new Map<string, Turn>()
  for (const m of messages) {
    let t = byId.get(m.turn_id)
    if (!t) {
      t = { id: m.turn_id, user: undefined, replies: [] }
      byId.set(m.turn_id, t)
      turns.push(t)
    }
    if (m.role === 'user') t.user = m
    else t.replies.push(m)
  }
  return turns
}

const methodLabels: Record<string, string> = { judge: 'Judged by the moderator', lexical: 'Measured by word overlap', trivial: 'Nothing to compare' }

const cols = (n: number) => (n >= 3 ? 'md:grid-cols-2 xl:grid-cols-3' : n === 2 ? 'md:grid-cols-2' : '')

/** Transcript renders the turns of a discussion the way its mode reads best. */
export function Transcript({ discussion, messages, rounds, personas, me }: { discussion: Discussion; messages: Message[]; rounds: Round[]; personas: Map<string, Persona>; me: string | undefined }) {
  return (
    <div className="space-y-8">
      {groupTurns(messages).map((t) => (
        <section key={t.id} aria-label="Turn" className="space-y-4">
          {t.user && <UserMessage m={t.user} mine={t.user.author_id === me} />}
          {discussion.mode === 'consensus' ? (
            <ConsensusTurn replies={t.replies} rounds={rounds.filter((r) => r.turn_id === t.id)} personas={personas} />
          ) : (
            <div className={cx('grid gap-4', discussion.mode === 'parallel' && cols(t.replies.length))}>
              {t.replies.map((m) => (
                <MessageCard key={m.id} m={m} persona={personas.get(m.persona_id)} />
              ))}
            </div>
          )}
        </section>
      ))}
    </div>
  )
}

function ConsensusTurn({ replies, rounds, personas }: { replies: Message[]; rounds: Round[]; personas: Map<string, Persona> }) {
  const synthesis = replies.find((m) => m.role === 'moderator')
  const answers = replies.filter((m) => m.role !== 'moderator')
  const numbers = [...new Set([...answers.map((m) => m.round ?? 1), ...rounds.map((r) => r.round)])].sort((a, b) => a - b)
  const last = numbers[numbers.length - 1]
  return (
    <div className="space-y-4">
      {synthesis && (
        <MessageCard m={synthesis} persona={personas.get(synthesis.persona_id)} label={`Synthesis by ${personas.get(synthesis.persona_id)?.name ?? 'the moderator'}`} className="ring-2 ring-accent/15" />
      )}
      <ol aria-label="Rounds" className="relative space-y-3 border-l-2 border-line pl-5">
        {numbers.map((n) => (
          <RoundItem
            key={n}
            n={n}
            round={rounds.find((r) => r.round === n)}
            answers={answers.filter((m) => (m.round ?? 1) === n)}
            personas={personas}
            open={!synthesis && n === last}
          />
        ))}
      </ol>
    </div>
  )
}

function RoundItem({ n, round, answers, personas, open }: { n: number; round: Round | undefined; answers: Message[]; personas: Map<string, Persona>; open: boolean }) {
  const pct = round ? Math.round(round.agreement * 100) : undefined
  const streaming = answers.some((m) => m.status === 'streaming')
  return (
    <li data-testid="round" className="relative">
      <span className="absolute top-3 -left-[27px] h-3 w-3 rounded-full border-2 border-bg bg-accent" aria-hidden="true" />
      <details open={open} className="group rounded-xl border border-line bg-surface shadow-xs">
        <summary className="flex cursor-pointer list-none items-center gap-3 rounded-xl px-4 py-3 outline-none focus-visible:ring-3 focus-visible:ring-accent/25 [&::-webkit-details-marker]:hidden">
          <ChevronRight className="h-4 w-4 shrink-0 text-fg-subtle transition group-open:rotate-90" aria-hidden="true" />
          <span className="text-sm font-semibold">Round {n}</span>
          <span className="text-xs text-fg-muted">
            {answers.length} answer{answers.length === 1 ? '' : 's'}
            {streaming && ' · answering…'}
          </span>
          <span className="ml-auto flex items-center gap-2">
            {pct === undefined ? (
              <span className="text-xs text-fg-subtle">{streaming ? 'Scoring after the answers' : 'Not scored'}</span>
            ) : (
              <>
                <span className="hidden h-1.5 w-24 overflow-hidden rounded-full bg-subtle sm:block" aria-hidden="true">
                  <span className={cx('block h-full rounded-full', pct >= 80 ? 'bg-ok' : pct >= 50 ? 'bg-warn' : 'bg-danger')} style={{ width: pct + '%' }} />
                </span>
                <span data-testid="agreement" className="text-sm font-semibold tabular-nums" aria-label={`Agreement ${pct} percent`}>
                  {pct}%
                </span>
              </>
            )}
          </span>
        </summary>
        <div className="space-y-3 border-t border-line px-4 py-4">
          {round && (
            <p className="text-[13px] text-fg-muted">
              <span className="font-medium text-fg">{methodLabels[round.method] ?? 'Scored'}:</span> {round.explanation}
            </p>
          )}
          <div className={cx('grid gap-3', cols(answers.length))}>
            {answers.map((m) => (
              <MessageCard key={m.id} m={m} persona={personas.get(m.persona_id)} />
            ))}
          </div>
        </div>
      </details>
    </li>
  )
}
