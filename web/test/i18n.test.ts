import { afterEach, describe, expect, it } from 'vitest'
import { CATALOGS, language, LANGUAGES, translate } from '../src/i18n/catalog'
import en from '../src/i18n/en'
import { describe as describeError, RpcError } from '../src/rpc/errors'

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('the message catalogs', () => {
  afterEach(() => {
    language.value = 'en'
  })

  it('have every key of the English one, and no other, in each of the five languages', () => {
    expect([...LANGUAGES].sort()).toEqual(['de', 'en', 'es', 'fr', 'pl'])
    for (const lang of LANGUAGES) {
      expect(Object.keys(CATALOGS[lang]).sort(), lang).toEqual(Object.keys(en).sort())
    }
  })

  it('say something in every language, with the same placeholders as English', () => {
    for (const lang of LANGUAGES) {
      for (const [key, english] of Object.entries(en)) {
        const said = CATALOGS[lang][key as keyof typeof en]
        expect(said.trim(), `${lang} ${key}`).not.toBe('')
        expect(placeholders(said), `${lang} ${key}`).toEqual(placeholders(english))
      }
    }
  })

  it('fill placeholders as text', () => {
    expect(translate('de', 'error.code', { code: 42 })).toBe('Fehler 42')
    expect(translate('en', 'error.with-detail', { sentence: '<b>', detail: '{code}' })).toBe('<b> ({code})')
  })

  it('give an error its sentence in the chosen language', () => {
    const e = new RpcError(7, 'Password Incorrect')
    expect(describeError(e)).toBe('The password is not correct. (Password Incorrect)')
    language.value = 'fr'
    expect(describeError(e)).toBe('Le mot de passe est incorrect. (Password Incorrect)')
    expect(describeError(new RpcError(999, ''))).toBe('Erreur 999')
  })
})
