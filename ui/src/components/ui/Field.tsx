import { forwardRef, useId, type InputHTMLAttributes, type ReactNode } from 'react'
import { CircleAlert } from 'lucide-react'
import { cx } from './cx'

export const inputClass =
  'block h-10 w-full rounded-lg border border-line-strong bg-surface px-3 text-sm text-fg placeholder:text-fg-subtle ' +
  'shadow-xs transition-colors outline-none hover:border-fg-subtle focus-visible:border-accent focus-visible:ring-3 ' +
  'focus-visible:ring-accent/20 focus-visible:outline-none disabled:opacity-60 read-only:bg-subtle read-only:text-fg-muted ' +
  'aria-invalid:border-danger aria-invalid:focus-visible:ring-danger/20'

export type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string
  hint?: ReactNode
  error?: string | undefined
  prefix?: string
  trailing?: ReactNode
}

/**
 * Field is a labelled input with its hint and error wired to the input
 * through aria-describedby, so screen readers announce both.
 */
export const Field = forwardRef<HTMLInputElement, FieldProps>(function Field(
  { label, hint, error, prefix, trailing, className, id, ...rest },
  ref,
) {
  const auto = useId()
  const inputId = id ?? auto
  const hintId = hint ? inputId + '-hint' : undefined
  const errorId = error ? inputId + '-error' : undefined
  return (
    <div className={cx('space-y-1.5', className)}>
      <label htmlFor={inputId} className="block text-[13px] font-medium text-fg">
        {label}
      </label>
      <div className="relative flex items-stretch">
        {prefix && (
          <span className="inline-flex items-center rounded-l-lg border border-r-0 border-line-strong bg-subtle px-3 text-sm text-fg-muted select-none">
            {prefix}
          </span>
        )}
        <input
          ref={ref}
          id={inputId}
          aria-invalid={error ? true : undefined}
          aria-describedby={cx(errorId, hintId) || undefined}
          className={cx(inputClass, prefix && 'rounded-l-none', trailing && 'pr-10')}
          {...rest}
        />
        {trailing && <span className="absolute inset-y-0 right-0 flex items-center pr-2">{trailing}</span>}
      </div>
      {error ? (
        <p id={errorId} role="alert" className="flex items-start gap-1.5 text-[13px] text-danger-text">
          <CircleAlert className="mt-0.5 h-3.5 w-3.5 shrink-0" aria-hidden="true" />
          {error}
        </p>
      ) : (
        hint && (
          <p id={hintId} className="text-[13px] text-fg-muted">
            {hint}
          </p>
        )
      )}
    </div>
  )
})

/** FormError is a form-level problem (not tied to one field). */
export function FormError({ message }: { message?: string | undefined }) {
  if (!message) return null
  return (
    <div role="alert" className="flex items-start gap-2 rounded-lg border border-danger/30 bg-danger-soft px-3 py-2.5 text-sm text-danger-text">
      <CircleAlert className="mt-0.5 h-4 w-4 shrink-0" aria-hidden="true" />
      <span>{message}</span>
    </div>
  )
}
