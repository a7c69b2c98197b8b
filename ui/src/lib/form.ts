import { useState, type ChangeEvent, type FormEvent } from 'react'
import type { z } from 'zod/mini'
import { ApiError } from './api'
import { validate } from './schemas'
import { messageFor } from './errors'

type Values = Record<string, string>

/**
 * useForm holds a form's values and errors: it validates with a zod schema
 * before calling onValid, focuses the first invalid field, and puts a
 * server error next to the field it names (data.field) or above the form.
 */
export function useForm<V extends Values, S extends z.ZodMiniType>(schema: S, initial: V) {
  const [values, setValues] = useState<V>(initial)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string>()

  function set<K extends keyof V & string>(name: K, value: string) {
    setValues((v) => ({ ...v, [name]: value }))
    setErrors((e) => {
      if (!(name in e)) return e
      const rest = { ...e }
      delete rest[name]
      return rest
    })
  }

  function field<K extends keyof V & string>(name: K) {
    return {
      name,
      value: values[name],
      error: errors[name],
      onChange: (e: ChangeEvent<HTMLInputElement>) => set(name, e.target.value),
    }
  }

  function focusFirst(form: HTMLFormElement, names: string[]) {
    for (const el of Array.from(form.elements)) {
      if (el instanceof HTMLInputElement && names.includes(el.name)) {
        el.focus()
        return
      }
    }
  }

  /** fail shows err: beside its field when the form has one, else above the form. */
  function fail(err: unknown, form?: HTMLFormElement | null) {
    const msg = err instanceof Error ? err.message : messageFor('unknown')
    if (err instanceof ApiError && err.field && err.field in values) {
      setErrors((e) => ({ ...e, [err.field as string]: msg }))
      if (form) focusFirst(form, [err.field])
      return
    }
    setFormError(msg)
  }

  function submit(onValid: (data: z.output<S>, form: HTMLFormElement) => Promise<void> | void) {
    return async (e: FormEvent<HTMLFormElement>) => {
      e.preventDefault()
      const form = e.currentTarget
      setFormError(undefined)
      const r = validate(schema, values)
      if (!r.ok) {
        setErrors(r.errors)
        focusFirst(form, Object.keys(r.errors))
        if (r.errors.form) setFormError(r.errors.form)
        return
      }
      setErrors({})
      await onValid(r.data, form)
    }
  }

  return { values, set, setValues, errors, setErrors, formError, setFormError, field, submit, fail }
}
