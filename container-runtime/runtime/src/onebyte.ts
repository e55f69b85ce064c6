/**
 * A package bundle's source in one byte per character, where that keeps its meaning.
 *
 * V8 keeps a script's source for the script's whole life, and stores it in two bytes per
 * character as soon as one character is above U+00FF. SDK bundles carry a few (dashes and
 * arrows in the SDK's doc comments and messages), which turns hello-world's 2.6 MB bundle into
 * 5.2 MB of heap in every service container. Written as `\uXXXX` escapes instead, inside
 * comments, string literals, untagged template literals and regular expressions, they leave every
 * value the code computes unchanged.
 *
 * Anywhere else the source is kept as it is: in tagged template literals (the tag sees the raw
 * text), in code (identifiers, exotic white space), and whenever the source holds U+2028 or
 * U+2029 (line terminators in a comment, a line continuation in a string). The caller compiles
 * the result and falls back to the original on a syntax error, so a bundle this scanner misreads
 * still loads as written.
 */
export function oneByteSource(source: string): string {
  if (!/[^\x00-\xff]/.test(source) || /[\u2028\u2029]/.test(source)) return source
  return new Scanner(source).run() ?? source
}

/** Words after which a `/` starts a regular expression rather than a division. */
const BEFORE_REGEX = new Set([
  'await', 'case', 'delete', 'do', 'else', 'extends', 'in', 'instanceof', 'new', 'of',
  'return', 'throw', 'typeof', 'void', 'yield',
])

const WIDE = 0xff

// Where each kind of text may need attention: the scanner jumps from one such unit to the next.
const CODE_STOP = /[/'"`{}\u0100-\uffff]/g
const QUOTE_STOP = { [0x27]: /['\\\n\r\u0100-\uffff]/g, [0x22]: /["\\\n\r\u0100-\uffff]/g }
const TEMPLATE_STOP = /[`\\$\u0100-\uffff]/g
const REGEX_STOP = /[\\/[\]\n\r\u0100-\uffff]/g
const LINE_STOP = /[\n\r\u0100-\uffff]/g

/**
 * `text` (all below U+0100) as a one-byte string in V8's heap. Slices of a two-byte string stay
 * two-byte whatever they hold, so the text is decoded again; in pieces, because node turns a large
 * decode into an external string, which lives outside the heap in memory malloc rarely returns.
 */
function oneByte(text: string): string {
  const bytes = Buffer.from(text, 'latin1')
  const pieces: string[] = []
  for (let at = 0; at < bytes.length; at += PIECE) {
    pieces.push(bytes.toString('latin1', at, Math.min(at + PIECE, bytes.length)))
  }
  return pieces.join('')
}

const PIECE = 256 * 1024

function escape(unit: number): string {
  return '\\u' + unit.toString(16).padStart(4, '0')
}

function isWordUnit(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
    c === 0x24 || c === 0x5f || c === 0x5c || (c >= 0xaa && c <= WIDE)
  )
}

function isSpace(c: number): boolean {
  return c <= 0x20 || c === 0xa0
}

/** The index of the next unit `stop` matches from `from`, or -1. */
function next(stop: RegExp, s: string, from: number): number {
  stop.lastIndex = from
  return stop.exec(s)?.index ?? -1
}

/** One pass over the source; `run` answers null where escaping could change the meaning. */
class Scanner {
  private readonly parts: string[] = []
  private copied = 0
  private i = 0
  private regexAllowed = true
  /** Brace depth in code, and for each open `${` of a template: the depth it began at. */
  private depth = 0
  private readonly substitutions: { depth: number; tagged: boolean }[] = []

  constructor(private readonly s: string) {}

  run(): string | null {
    const s = this.s
    if (s.startsWith('#!')) this.lineComment()
    while (this.i < s.length) {
      const at = next(CODE_STOP, s, this.i)
      this.settle(at < 0 ? s.length : at)
      if (at < 0) break
      const c = s.charCodeAt(at)
      if (c > WIDE) return null // in code: an identifier or white space
      if (c === 0x2f /* / */) {
        const following = s.charCodeAt(at + 1)
        if (following === 0x2f) this.lineComment()
        else if (following === 0x2a) this.blockComment()
        else if (this.regexAllowed) {
          if (!this.regex()) return null
        } else {
          this.i++ // a division: an operand follows
          this.regexAllowed = true
        }
      } else if (c === 0x27 || c === 0x22) {
        if (!this.string(c)) return null
      } else if (c === 0x60 /* ` */) {
        // A template right after an operand is tagged: the tag sees its raw text.
        const tagged = !this.regexAllowed
        this.i++
        if (!this.template(tagged)) return null
      } else if (c === 0x7b /* { */) {
        this.depth++
        this.i++
        this.regexAllowed = true
      } else if (this.substitutions.at(-1)?.depth === this.depth) {
        const { tagged } = this.substitutions.pop()!
        this.i++
        if (!this.template(tagged)) return null
      } else {
        // `}` ending a block before a regular expression is rare in bundles, and a misreading is
        // caught by the compiler.
        this.depth--
        this.i++
        this.regexAllowed = false
      }
    }
    if (this.substitutions.length > 0) return null
    this.parts.push(s.slice(this.copied))
    return oneByte(this.parts.join(''))
  }

  /** Moves over plain code up to `to`, noting whether its last token lets a `/` start a regex. */
  private settle(to: number): void {
    const s = this.s
    let last = to - 1
    while (last >= this.i && isSpace(s.charCodeAt(last))) last--
    if (last >= this.i) {
      const c = s.charCodeAt(last)
      if (isWordUnit(c)) {
        let first = last
        while (first > this.i && isWordUnit(s.charCodeAt(first - 1))) first--
        this.regexAllowed = BEFORE_REGEX.has(s.slice(first, last + 1))
      } else {
        this.regexAllowed = c !== 0x29 /* ) */ && c !== 0x5d /* ] */
      }
    }
    this.i = to
  }

  /** Replaces the wide unit at `at` (and a backslash before it, from `from`) by its escape. */
  private replace(from: number, at: number): void {
    this.parts.push(this.s.slice(this.copied, from), escape(this.s.charCodeAt(at)))
    this.copied = at + 1
  }

  private lineComment(): void {
    const s = this.s
    for (;;) {
      const at = next(LINE_STOP, s, this.i)
      if (at < 0 || s.charCodeAt(at) <= WIDE) {
        this.i = at < 0 ? s.length : at
        return
      }
      this.replace(at, at)
      this.i = at + 1
    }
  }

  private blockComment(): void {
    const s = this.s
    const end = s.indexOf('*/', this.i + 2)
    const stop = end < 0 ? s.length : end + 2
    for (let at = this.i; at < stop; at++) {
      if (s.charCodeAt(at) > WIDE) this.replace(at, at)
    }
    this.i = stop
  }

  /**
   * A quoted string. An escaped wide character (`\—`) means the character itself, so the
   * backslash goes with it.
   */
  private string(quote: 0x27 | 0x22): boolean {
    const s = this.s
    const stop = QUOTE_STOP[quote]
    this.i++
    for (;;) {
      const at = next(stop, s, this.i)
      if (at < 0) return false
      const c = s.charCodeAt(at)
      this.i = at + 1
      if (c === quote) {
        this.regexAllowed = false
        return true
      }
      if (c === 0x0a || c === 0x0d) return false
      if (c === 0x5c /* \ */) {
        const escaped = s.charCodeAt(at + 1)
        if (escaped > WIDE) this.replace(at, at + 1)
        else if (escaped === 0x0d && s.charCodeAt(at + 2) === 0x0a) this.i++
        this.i++
      } else this.replace(at, at)
    }
  }

  /**
   * Template text up to its end or to a `${`. Escaping keeps the cooked text, which is all an
   * untagged template gives, so only a tagged one with a wide character is a reason to stop.
   */
  private template(tagged: boolean): boolean {
    const s = this.s
    for (;;) {
      const at = next(TEMPLATE_STOP, s, this.i)
      if (at < 0) return false
      const c = s.charCodeAt(at)
      this.i = at + 1
      if (c === 0x60) {
        this.regexAllowed = false
        return true
      }
      if (c === 0x24 /* $ */) {
        if (s.charCodeAt(at + 1) === 0x7b) {
          this.i++
          this.substitutions.push({ depth: this.depth, tagged })
          this.regexAllowed = true
          return true
        }
      } else if (c === 0x5c) {
        if (s.charCodeAt(at + 1) > WIDE) {
          if (tagged) return false
          this.replace(at, at + 1)
        }
        this.i++
      } else {
        if (tagged) return false
        this.replace(at, at)
      }
    }
  }

  /** A regular expression literal and its flags; `\—` there also means the character itself. */
  private regex(): boolean {
    const s = this.s
    let inClass = false
    this.i++
    for (;;) {
      const at = next(REGEX_STOP, s, this.i)
      if (at < 0) return false
      const c = s.charCodeAt(at)
      this.i = at + 1
      if (c === 0x0a || c === 0x0d) return false
      if (c === 0x5c) {
        if (s.charCodeAt(at + 1) > WIDE) this.replace(at, at + 1)
        this.i++
      } else if (c > WIDE) this.replace(at, at)
      else if (c === 0x5b /* [ */) inClass = true
      else if (c === 0x5d) inClass = false
      else if (!inClass) {
        while (this.i < s.length && isWordUnit(s.charCodeAt(this.i))) this.i++
        this.regexAllowed = false
        return true
      }
    }
  }
}
