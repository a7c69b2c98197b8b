import * as T from '@radix-ui/react-tooltip'
import type { ReactNode } from 'react'

/** Tooltip shows content on hover and on keyboard focus of its (focusable) child. */
export function Tooltip({ content, children }: { content: ReactNode; children: ReactNode }) {
  return (
    <T.Provider delayDuration={200}>
      <T.Root>
        <T.Trigger asChild>{children}</T.Trigger>
        <T.Portal>
          <T.Content sideOffset={6} className="z-50 max-w-xs rounded-lg border border-line bg-raised px-3 py-2 text-xs text-fg shadow-xl shadow-black/10 animate-in">
            {content}
            <T.Arrow className="fill-raised" />
          </T.Content>
        </T.Portal>
      </T.Root>
    </T.Provider>
  )
}
