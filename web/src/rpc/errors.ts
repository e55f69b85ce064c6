import { t, type MessageKey } from '../i18n/catalog'

/** The daemon's error codes a person may meet (rpc.md §1.3), by name. */
export const ErrorCode = {
  Unknown: 1,
  Filesystem: 2,
  NotFound: 6,
  IncorrectPassword: 7,
  VersionIncompatible: 8,
  Network: 9,
  Registry: 10,
  Deserialization: 12,
  ParseS9pk: 18,
  Dependency: 17,
  InvalidSignature: 31,
  Authorization: 34,
  Action: 36,
  RateLimited: 37,
  InvalidRequest: 38,
  Uninitialized: 40,
  ValidateS9pk: 24,
  Timeout: 71,
  Lxc: 72,
  Cancelled: 73,
  InstallFailed: 76,
  UpdateFailed: 77,
} as const

/** A call the daemon refused, or one that never reached it (`code` {@link ErrorCode.Network}). */
export class RpcError extends Error {
  override name = 'RpcError'
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message)
  }
}

/**
 * What to tell a person about `error`, in the UI's language: a sentence for the codes people meet,
 * which says what to do where there is something to do, and the daemon's own message after it
 * when it adds a detail.
 */
export function describe(error: unknown): string {
  if (!(error instanceof RpcError)) return error instanceof Error ? error.message : String(error)
  const key = SENTENCES[error.code]
  const detail = error.message.trim()
  if (key === undefined) return detail || t('error.code', { code: error.code })
  const sentence = t(key)
  return detail === '' || sentence.includes(detail) ? sentence : t('error.with-detail', { sentence, detail })
}

const SENTENCES: Record<number, MessageKey> = {
  [ErrorCode.IncorrectPassword]: 'error.incorrect-password',
  [ErrorCode.Authorization]: 'error.authorization',
  [ErrorCode.RateLimited]: 'error.rate-limited',
  [ErrorCode.Network]: 'error.network',
  [ErrorCode.NotFound]: 'error.not-found',
  [ErrorCode.ParseS9pk]: 'error.parse-s9pk',
  [ErrorCode.ValidateS9pk]: 'error.validate-s9pk',
  [ErrorCode.InvalidSignature]: 'error.invalid-signature',
  [ErrorCode.VersionIncompatible]: 'error.version-incompatible',
  [ErrorCode.Dependency]: 'error.dependency',
  [ErrorCode.Uninitialized]: 'error.uninitialized',
  [ErrorCode.Timeout]: 'error.timeout',
  [ErrorCode.Cancelled]: 'error.cancelled',
  [ErrorCode.InstallFailed]: 'error.install-failed',
  [ErrorCode.UpdateFailed]: 'error.update-failed',
}
