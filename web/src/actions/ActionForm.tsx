import type { Json, JsonObject } from '../db/json'
import { hasKey, isObject, member } from '../db/json'
import { t } from '../i18n/catalog'
import {
  defaults,
  getAt,
  randomString,
  visibleFields,
  type FieldPath,
  type InputSpec,
  type ListSpec,
  type Problem,
  type ProblemMessage,
  type ValueSpec,
} from './input-spec'

type Change = (path: FieldPath, v: Json) => void

type FormContext = {
  /** The value the form opened with: an `immutable` field that had one keeps it. */
  initial: Json
  problems: Problem[]
  /** Problems are shown once the person tried to send the form. */
  showProblems: boolean
  change: Change
  idPrefix: string
}

/**
 * The fields of an InputSpec, drawn from the spec alone: every field type the SDK has, with its
 * description, warning, footnote, and the spec's problems beside the field they belong to. Every
 * text a package wrote goes into the DOM as text.
 */
export function ActionForm(props: {
  spec: InputSpec
  value: JsonObject
  initial: Json
  problems: Problem[]
  showProblems: boolean
  onChange: Change
  idPrefix: string
}) {
  const ctx: FormContext = {
    initial: props.initial,
    problems: props.problems,
    showProblems: props.showProblems,
    change: props.onChange,
    idPrefix: props.idPrefix,
  }
  return <Fields spec={props.spec} value={props.value} at={[]} ctx={ctx} />
}

function Fields({ spec, value, at, ctx }: { spec: InputSpec; value: Json; at: FieldPath; ctx: FormContext }) {
  return (
    <>
      {visibleFields(spec).map(([key, field]) => (
        <Field key={key} spec={field} value={member(value, key) ?? null} at={[...at, key]} ctx={ctx} />
      ))}
    </>
  )
}

function fieldId(ctx: FormContext, at: FieldPath): string {
  return `${ctx.idPrefix}-${at.map((k) => encodeURIComponent(String(k)).replace(/[^A-Za-z0-9_-]/g, '_')).join('-')}`
}

function problemsAt(ctx: FormContext, at: FieldPath): ProblemMessage[] {
  if (!ctx.showProblems) return []
  const key = JSON.stringify(at)
  return ctx.problems.filter((p) => JSON.stringify(p.path) === key).map((p) => p.message)
}

export function problemText(m: ProblemMessage): string {
  switch (m.kind) {
    case 'required':
      return t('form.required')
    case 'pattern':
      return m.description
    case 'too-short':
      return t('form.too-short', { min: m.min })
    case 'too-long':
      return t('form.too-long', { max: m.max })
    case 'too-small':
      return t('form.too-small', { min: m.min })
    case 'too-large':
      return t('form.too-large', { max: m.max })
    case 'not-integer':
      return t('form.not-integer')
    case 'too-few':
      return t('form.too-few', { min: m.min })
    case 'too-many':
      return t('form.too-many', { max: m.max })
    case 'not-unique':
      return t('form.not-unique')
    case 'not-a-choice':
      return t('form.not-a-choice')
    case 'not-a-color':
      return t('form.not-a-color')
    case 'not-a-date':
      return t('form.not-a-date')
    case 'date-too-early':
      return t('form.date-too-early', { min: m.min })
    case 'date-too-late':
      return t('form.date-too-late', { max: m.max })
  }
}

/** Description, warning, footnote and problems of one field, tied to its control by id. */
function Notes({ spec, id, problems, disabledReason }: { spec: Exclude<ValueSpec, { type: 'hidden' }>; id: string; problems: ProblemMessage[]; disabledReason: string | null }) {
  return (
    <>
      {spec.description !== null && spec.description !== '' && (
        <span class="hint" id={`${id}-description`}>
          {spec.description}
        </span>
      )}
      {spec.warning !== null && spec.warning !== '' && (
        <span class="warning" id={`${id}-warning`}>
          {spec.warning}
        </span>
      )}
      {disabledReason !== null && <span class="hint">{disabledReason}</span>}
      {spec.footnote !== undefined && spec.footnote !== null && spec.footnote !== '' && <span class="hint footnote">{spec.footnote}</span>}
      {problems.map((p, i) => (
        <span key={i} class="error" id={`${id}-problem-${i}`}>
          {problemText(p)}
        </span>
      ))}
    </>
  )
}

function describedBy(spec: Exclude<ValueSpec, { type: 'hidden' }>, id: string, problems: ProblemMessage[]): string | undefined {
  const ids = [
    ...(spec.description ? [`${id}-description`] : []),
    ...(spec.warning ? [`${id}-warning`] : []),
    ...problems.map((_, i) => `${id}-problem-${i}`),
  ]
  return ids.length === 0 ? undefined : ids.join(' ')
}

function Field({ spec, value, at, ctx }: { spec: Exclude<ValueSpec, { type: 'hidden' }>; value: Json; at: FieldPath; ctx: FormContext }) {
  const id = fieldId(ctx, at)
  const problems = problemsAt(ctx, at)
  const reason = typeof spec.disabled === 'string' ? spec.disabled : null
  // An immutable field that was already set cannot change; one that was not may be set once.
  const locked = reason !== null || (spec.immutable === true && getAt(ctx.initial, at) !== null)
  const set = (v: Json) => ctx.change(at, v)
  const aria = { 'aria-describedby': describedBy(spec, id, problems), 'aria-invalid': problems.length > 0 ? true : undefined }
  const notes = <Notes spec={spec} id={id} problems={problems} disabledReason={reason} />
  const label = (
    <label for={id}>
      {spec.name}
      {'required' in spec && spec.required && <span aria-hidden="true"> *</span>}
    </label>
  )

  switch (spec.type) {
    case 'text': {
      const text = typeof value === 'string' ? value : ''
      const generate = spec.generate
      return (
        <div class="field">
          {label}
          <span class="with-button">
            <input
              id={id}
              type={(spec.masked ? 'password' : spec.inputmode) as 'text'}
              autocomplete={spec.masked ? 'new-password' : 'off'}
              value={text}
              placeholder={spec.placeholder ?? undefined}
              required={spec.required}
              disabled={locked}
              onInput={(e) => set(e.currentTarget.value === '' && !spec.required ? null : e.currentTarget.value)}
              {...aria}
            />
            {generate !== null && (
              <button type="button" disabled={locked} onClick={() => set(randomString(generate))}>
                {t('form.generate')}
              </button>
            )}
          </span>
          {notes}
        </div>
      )
    }
    case 'textarea':
      return (
        <div class="field">
          {label}
          <textarea
            id={id}
            rows={spec.minRows ?? 3}
            value={typeof value === 'string' ? value : ''}
            placeholder={spec.placeholder ?? undefined}
            required={spec.required}
            disabled={locked}
            onInput={(e) => set(e.currentTarget.value === '' && !spec.required ? null : e.currentTarget.value)}
            {...aria}
          />
          {notes}
        </div>
      )
    case 'number':
      return (
        <div class="field">
          {label}
          <span class="with-button">
            <input
              id={id}
              type="number"
              inputMode={spec.integer ? 'numeric' : 'decimal'}
              value={typeof value === 'number' ? String(value) : ''}
              min={spec.min ?? undefined}
              max={spec.max ?? undefined}
              step={spec.step ?? (spec.integer ? 1 : 'any')}
              placeholder={spec.placeholder ?? undefined}
              required={spec.required}
              disabled={locked}
              onInput={(e) => {
                const raw = e.currentTarget.value
                set(raw === '' ? null : Number(raw))
              }}
              {...aria}
            />
            {spec.units !== null && <span class="units">{spec.units}</span>}
          </span>
          {notes}
        </div>
      )
    case 'color':
      return (
        <div class="field">
          {label}
          <input id={id} type="color" value={typeof value === 'string' ? value : '#000000'} disabled={locked} onInput={(e) => set(e.currentTarget.value)} {...aria} />
          {notes}
        </div>
      )
    case 'datetime':
      return (
        <div class="field">
          {label}
          <input
            id={id}
            type={spec.inputmode}
            value={typeof value === 'string' ? value : ''}
            min={spec.min ?? undefined}
            max={spec.max ?? undefined}
            required={spec.required}
            disabled={locked}
            onInput={(e) => set(e.currentTarget.value === '' ? null : e.currentTarget.value)}
            {...aria}
          />
          {notes}
        </div>
      )
    case 'toggle':
      return (
        <div class="field toggle">
          <input id={id} type="checkbox" checked={value === true} disabled={locked} onChange={(e) => set(e.currentTarget.checked)} {...aria} />
          {label}
          {notes}
        </div>
      )
    case 'triState':
      return (
        <fieldset class="field" {...aria}>
          <legend>{spec.name}</legend>
          {([true, false, null] as const).map((choice) => (
            <label key={String(choice)} class="choice">
              <input type="radio" name={id} checked={value === choice} disabled={locked} onChange={() => set(choice)} />
              {t(choice === true ? 'form.yes' : choice === false ? 'form.no' : 'form.unset')}
            </label>
          ))}
          {notes}
        </fieldset>
      )
    case 'select': {
      const off = Array.isArray(spec.disabled) ? spec.disabled : []
      return (
        <div class="field">
          {label}
          <select id={id} value={typeof value === 'string' ? value : ''} disabled={locked} onChange={(e) => set(e.currentTarget.value)} {...aria}>
            {value === null && <option value="">{t('form.choose')}</option>}
            {Object.entries(spec.values).map(([key, name]) => (
              <option key={key} value={key} disabled={off.includes(key)}>
                {name}
              </option>
            ))}
          </select>
          {notes}
        </div>
      )
    }
    case 'multiselect': {
      const chosen = Array.isArray(value) ? value : []
      const off = Array.isArray(spec.disabled) ? spec.disabled : []
      return (
        <fieldset class="field" id={id} {...aria}>
          <legend>{spec.name}</legend>
          {Object.entries(spec.values).map(([key, name]) => (
            <label key={key} class="choice">
              <input
                type="checkbox"
                checked={chosen.includes(key)}
                disabled={locked || off.includes(key)}
                onChange={(e) => set(e.currentTarget.checked ? [...chosen, key] : chosen.filter((k) => k !== key))}
              />
              {name}
            </label>
          ))}
          {notes}
        </fieldset>
      )
    }
    case 'object':
      return (
        <fieldset class="field group" id={id}>
          <legend>{spec.name}</legend>
          {notes}
          <Fields spec={spec.spec} value={value} at={at} ctx={ctx} />
        </fieldset>
      )
    case 'list':
      return <ListField spec={spec} value={value} at={at} ctx={ctx} id={id} notes={notes} locked={locked} />
    case 'union': {
      const selection = member(value, 'selection')
      const chosen = typeof selection === 'string' && hasKey(spec.variants, selection) ? selection : null
      const off = Array.isArray(spec.disabled) ? spec.disabled : []
      return (
        <fieldset class="field group" id={`${id}-group`}>
          <legend>{spec.name}</legend>
          <label for={id} class="visually-hidden">
            {spec.name}
          </label>
          <select
            id={id}
            value={chosen ?? ''}
            disabled={locked}
            onChange={(e) => {
              const key = e.currentTarget.value
              // Another variant starts from its own defaults.
              set(hasKey(spec.variants, key) ? { selection: key, value: defaults(spec.variants[key]!.spec) } : null)
            }}
            {...aria}
          >
            {chosen === null && <option value="">{t('form.choose')}</option>}
            {Object.entries(spec.variants).map(([key, variant]) => (
              <option key={key} value={key} disabled={off.includes(key)}>
                {variant.name}
              </option>
            ))}
          </select>
          {notes}
          {chosen !== null && <Fields spec={spec.variants[chosen]!.spec} value={member(value, 'value') ?? null} at={[...at, 'value']} ctx={ctx} />}
        </fieldset>
      )
    }
    case 'file':
      // The SDK describes a file field, but there is no way yet to hand a file to a service's action
      // (upstream has none either): the field says so instead of pretending.
      return (
        <div class="field">
          {label}
          <input id={id} type="file" accept={spec.extensions.map((e) => (e.startsWith('.') ? e : `.${e}`)).join(',')} disabled {...aria} />
          <span class="hint">{t('form.file-unavailable')}</span>
          {notes}
        </div>
      )
  }
}

function ListField({ spec, value, at, ctx, id, notes, locked }: { spec: ListSpec; value: Json; at: FieldPath; ctx: FormContext; id: string; notes: preact.JSX.Element; locked: boolean }) {
  const items = Array.isArray(value) ? value : []
  const item = spec.spec
  const full = spec.maxLength !== null && items.length >= spec.maxLength
  const add = () => {
    const fresh: Json = item.type === 'text' ? (item.generate !== null ? randomString(item.generate) : '') : defaults(item.spec)
    ctx.change(at, [...items, fresh])
  }
  const remove = (i: number) => ctx.change(at, items.filter((_, j) => j !== i))
  return (
    <fieldset class="field group list" id={id}>
      <legend>{spec.name}</legend>
      {notes}
      {items.length === 0 && <p class="hint">{t('form.list-empty')}</p>}
      <ol>
        {items.map((entry, i) => {
          const itemId = fieldId(ctx, [...at, i])
          const itemProblems = problemsAt(ctx, [...at, i])
          const itemLabel = item.type === 'object' ? listItemTitle(item.displayAs, entry, i) : t('form.item', { n: i + 1 })
          return (
            <li key={i}>
              {item.type === 'text' ? (
                <span class="with-button">
                  <label for={itemId} class="visually-hidden">
                    {`${spec.name} ${itemLabel}`}
                  </label>
                  <input
                    id={itemId}
                    type={(item.masked ? 'password' : item.inputmode) as 'text'}
                    value={typeof entry === 'string' ? entry : ''}
                    placeholder={item.placeholder ?? undefined}
                    disabled={locked}
                    aria-invalid={itemProblems.length > 0 ? true : undefined}
                    onInput={(e) => ctx.change([...at, i], e.currentTarget.value)}
                  />
                  <button type="button" disabled={locked} onClick={() => remove(i)} aria-label={t('form.remove-item', { item: itemLabel })}>
                    {t('form.remove')}
                  </button>
                </span>
              ) : (
                <fieldset class="group">
                  <legend>{itemLabel}</legend>
                  <Fields spec={item.spec} value={entry} at={[...at, i]} ctx={ctx} />
                  <button type="button" disabled={locked} onClick={() => remove(i)} aria-label={t('form.remove-item', { item: itemLabel })}>
                    {t('form.remove')}
                  </button>
                </fieldset>
              )}
              {itemProblems.map((p, k) => (
                <span key={k} class="error">
                  {problemText(p)}
                </span>
              ))}
            </li>
          )
        })}
      </ol>
      <button type="button" disabled={locked || full} onClick={add}>
        {t('form.add', { name: spec.name })}
      </button>
    </fieldset>
  )
}

/** `displayAs` is a template of the item's fields, `{{name}}` style; empty, it falls back to "Item n". */
export function listItemTitle(displayAs: string | null, entry: Json, i: number): string {
  if (displayAs !== null && isObject(entry)) {
    const shown = displayAs
      .replace(/\{\{\s*([^}\s]+)\s*\}\}/g, (_, key: string) => {
        const v = member(entry, key)
        return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : ''
      })
      .trim()
    if (shown !== '') return shown
  }
  return t('form.item', { n: i + 1 })
}
