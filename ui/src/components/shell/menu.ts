/** Shared classes for dropdown menus, so every menu looks and behaves alike. */
export const menuContent =
  'z-50 min-w-56 overflow-hidden rounded-xl border border-line bg-raised p-1 shadow-xl shadow-black/10 animate-in'
export const menuItem =
  'relative flex h-9 cursor-default items-center gap-2.5 rounded-lg px-2.5 text-sm text-fg outline-none select-none data-[highlighted]:bg-subtle data-[disabled]:opacity-50'
export const menuLabel = 'px-2.5 pt-2 pb-1 text-[11px] font-semibold tracking-wide text-fg-subtle uppercase'
export const menuSeparator = 'my-1 h-px bg-line'
