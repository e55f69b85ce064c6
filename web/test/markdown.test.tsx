// @vitest-environment happy-dom
import { render } from 'preact'
import { afterEach, describe, expect, it } from 'vitest'
import { Markdown, safeHref } from '../src/markdown/Markdown'

afterEach(() => render(null, document.body))

describe("a package's instructions, as Markdown", () => {
  it('draws headings, emphasis, lists, code, tables and links', () => {
    render(
      <Markdown source={'# Use it\n\nOpen the **page** and *wave*, `ls -l` &amp; more.\n\n1. one\n2. two\n\n- [x] done\n\n```\ncode <here>\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSee [the guide](https://example.org/guide).'} />,
      document.body,
    )
    const md = document.querySelector('.markdown')!
    expect(md.querySelector('h3')?.textContent).toBe('Use it') // under the page's own headings
    expect(md.querySelector('strong')?.textContent).toBe('page')
    expect(md.querySelector('em')?.textContent).toBe('wave')
    expect(md.querySelector('p code')?.textContent).toBe('ls -l')
    expect(md.textContent).toContain('& more')
    expect([...md.querySelectorAll('ol li')].map((l) => l.textContent)).toEqual(['one', 'two'])
    expect(md.querySelector<HTMLInputElement>('ul li input')?.checked).toBe(true)
    expect(md.querySelector('pre code')?.textContent).toBe('code <here>')
    expect(md.querySelectorAll('td').length).toBe(2)
    const a = md.querySelector('a')!
    expect(a.getAttribute('href')).toBe('https://example.org/guide')
    expect(a.getAttribute('rel')).toBe('noopener noreferrer')
  })

  it('never lets markup of the package into the page: HTML is text, scripts do not run, odd links are not links, images are not loaded', () => {
    ;(globalThis as Record<string, unknown>).pwned = false
    render(
      <Markdown
        source={
          '<script>globalThis.pwned = true</script>\n\nHi <img src=x onerror="globalThis.pwned=true"> there\n\n[click](javascript:globalThis.pwned=true) [data](data:text/html,hi) ![tracker](https://tracker.example/p.png)\n\n<iframe src="https://evil.example"></iframe>'
        }
      />,
      document.body,
    )
    const md = document.querySelector('.markdown')!
    expect(md.querySelector('script, img, iframe')).toBeNull()
    expect(md.querySelectorAll('a').length).toBe(0)
    expect(md.textContent).toContain('<script>globalThis.pwned = true</script>')
    expect(md.textContent).toContain('<img src=x onerror="globalThis.pwned=true">')
    expect(md.textContent).toContain('[tracker]')
    expect((globalThis as Record<string, unknown>).pwned).toBe(false)
  })

  it('keeps only web and mail addresses as links', () => {
    expect(safeHref('https://a.example/x')).toBe('https://a.example/x')
    expect(safeHref('mailto:me@a.example')).toBe('mailto:me@a.example')
    expect(safeHref('javascript:alert(1)')).toBeNull()
    expect(safeHref(' JAVASCRIPT:alert(1)')).toBeNull()
    expect(safeHref('vbscript:x')).toBeNull()
    expect(safeHref('/relative')).toBeNull()
  })
})
