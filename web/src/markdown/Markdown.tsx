import { Lexer, type Token, type Tokens } from 'marked'
import type { ComponentChildren } from 'preact'

/**
 * Markdown a package wrote (its instructions), drawn as Preact elements from marked's tokens.
 * Nothing is ever parsed as HTML: raw HTML in the Markdown is shown as the text it is, a link keeps
 * only an http(s) or mailto address, and images are named, not loaded (no request leaves for a
 * package's choice of address).
 */
export function Markdown({ source }: { source: string }) {
  const tokens = new Lexer({ gfm: true }).lex(source)
  return <div class="markdown">{blocks(tokens)}</div>
}

function blocks(tokens: Token[]): ComponentChildren[] {
  return tokens.map((token, i) => block(token as Tokens.Generic, i))
}

function block(token: Tokens.Generic, key: number): ComponentChildren {
  switch (token.type) {
    case 'heading': {
      // A package's headings sit under the page's own: h3 and below.
      const level = Math.min(6, Math.max(3, (token as Tokens.Heading).depth + 2))
      const H = `h${level}` as 'h3'
      return <H key={key}>{inline(token.tokens ?? [])}</H>
    }
    case 'paragraph':
      return <p key={key}>{inline(token.tokens ?? [])}</p>
    case 'text':
      return <p key={key}>{token.tokens ? inline(token.tokens) : decode(token.text as string)}</p>
    case 'code':
      return (
        <pre key={key}>
          <code>{(token as Tokens.Code).text}</code>
        </pre>
      )
    case 'blockquote':
      return <blockquote key={key}>{blocks(token.tokens ?? [])}</blockquote>
    case 'list': {
      const list = token as Tokens.List
      const items = list.items.map((item, j) => (
        <li key={j}>
          {item.task && <input type="checkbox" checked={item.checked === true} disabled aria-label={item.checked ? '☑' : '☐'} />}
          {item.loose ? blocks(item.tokens) : listItemContent(item.tokens)}
        </li>
      ))
      return list.ordered ? (
        <ol key={key} start={typeof list.start === 'number' ? list.start : undefined}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      )
    }
    case 'table': {
      const table = token as Tokens.Table
      return (
        <table key={key}>
          <thead>
            <tr>
              {table.header.map((cell, j) => (
                <th key={j}>{inline(cell.tokens)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, j) => (
                  <td key={j}>{inline(cell.tokens)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )
    }
    case 'hr':
      return <hr key={key} />
    case 'html':
      return <pre key={key}>{token.text as string}</pre>
    case 'space':
    case 'def':
      return null
    default:
      return <p key={key}>{String(token.raw ?? '')}</p>
  }
}

/** A tight list item: its text tokens hold inline tokens; anything else is a block. */
function listItemContent(tokens: Token[]): ComponentChildren[] {
  return tokens.map((t, i) => {
    const token = t as Tokens.Generic
    return token.type === 'text' ? <span key={i}>{token.tokens ? inline(token.tokens) : decode(token.text as string)}</span> : block(token, i)
  })
}

function inline(tokens: Token[]): ComponentChildren[] {
  return tokens.map((t, i) => {
    const token = t as Tokens.Generic
    switch (token.type) {
      case 'text':
      case 'escape':
        return token.tokens ? <span key={i}>{inline(token.tokens)}</span> : decode(token.text as string)
      case 'strong':
        return <strong key={i}>{inline(token.tokens ?? [])}</strong>
      case 'em':
        return <em key={i}>{inline(token.tokens ?? [])}</em>
      case 'del':
        return <del key={i}>{inline(token.tokens ?? [])}</del>
      case 'codespan':
        return <code key={i}>{decode(token.text as string)}</code>
      case 'br':
        return <br key={i} />
      case 'link': {
        const href = safeHref((token as Tokens.Link).href)
        const children = inline(token.tokens ?? [])
        return href === null ? (
          <span key={i}>{children}</span>
        ) : (
          <a key={i} href={href} target="_blank" rel="noopener noreferrer">
            {children}
          </a>
        )
      }
      case 'image':
        return <span key={i} class="hint">{`[${decode((token as Tokens.Image).text)}]`}</span>
      case 'html':
        return token.text as string
      default:
        return String(token.raw ?? '')
    }
  })
}

/** Only addresses that leave for a web page or a mail program; anything else is not a link. */
export function safeHref(href: string): string | null {
  try {
    const url = new URL(href)
    return url.protocol === 'https:' || url.protocol === 'http:' || url.protocol === 'mailto:' ? url.href : null
  } catch {
    return null
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: '\u00a0' }

/** marked leaves character references in text; they are shown as the characters they stand for. */
function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_, name: string) => ENTITIES[name]!)
}
