import { inputClass } from './Field'

/**
 * selectClass styles a native <select> like an input. Selects match
 * :read-only in CSS, so the input's read-only look is left out.
 */
export const selectClass = inputClass.replace('read-only:bg-subtle read-only:text-fg-muted', '') + ' pr-8'
