import { Bot, Boxes, Cloud, Sparkles, type LucideIcon } from 'lucide-react'
import type { ProviderKind } from '../../lib/api'

/** kindInfo describes each provider kind for people. */
export const kindInfo: Record<ProviderKind, { label: string; icon: LucideIcon; tint: string; baseUrl: string; keyNeeded: boolean }> = {
  ollama: { label: 'Ollama', icon: Boxes, tint: 'bg-[#0f172a]/8 text-fg dark:bg-white/10', baseUrl: 'http://gpu-box:11434', keyNeeded: false },
  openai: { label: 'OpenAI or compatible', icon: Sparkles, tint: 'bg-[#10a37f]/12 text-[#0d7a5f] dark:text-[#4fd1a5]', baseUrl: 'https://api.openai.com/v1', keyNeeded: false },
  anthropic: { label: 'Anthropic', icon: Bot, tint: 'bg-[#d97757]/14 text-[#b4532e] dark:text-[#f0a285]', baseUrl: 'https://api.anthropic.com', keyNeeded: true },
  google: { label: 'Google', icon: Cloud, tint: 'bg-[#4285f4]/12 text-[#1a5fd0] dark:text-[#8ab4f8]', baseUrl: 'https://generativelanguage.googleapis.com', keyNeeded: true },
}

/** KindIcon is a provider kind's icon on its tint. */
export function KindIcon({ kind }: { kind: ProviderKind }) {
  const k = kindInfo[kind] ?? kindInfo.ollama
  const Icon = k.icon
  return (
    <span className={'inline-flex h-9 w-9 shrink-0 items-center justify-center rounded-lg ' + k.tint} aria-hidden="true">
      <Icon className="h-[18px] w-[18px]" />
    </span>
  )
}
