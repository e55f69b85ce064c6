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
 * What to tell a person about `error`: a sentence for the codes people meet, which says what to do
 * where there is something to do, and the daemon's own message after it when it adds a detail.
 * (Message catalogs replace these English sentences when the UI's languages land.)
 */
export function describe(error: unknown): string {
  if (!(error instanceof RpcError)) return error instanceof Error ? error.message : String(error)
  const sentence = SENTENCES[error.code]
  if (sentence === undefined) return error.message || `Error ${error.code}`
  const detail = error.message.trim()
  return detail === '' || sentence.includes(detail) ? sentence : `${sentence} (${detail})`
}

const SENTENCES: Record<number, string> = {
  [ErrorCode.IncorrectPassword]: 'The password is not correct.',
  [ErrorCode.Authorization]: 'Your session has ended. Please log in again.',
  [ErrorCode.RateLimited]: 'Too many attempts. Wait a minute and try again.',
  [ErrorCode.Network]: 'The server cannot be reached. Check that it is on and on your network.',
  [ErrorCode.NotFound]: 'That no longer exists.',
  [ErrorCode.ParseS9pk]: 'This file is not a valid service package.',
  [ErrorCode.ValidateS9pk]: 'This service package failed its checks.',
  [ErrorCode.InvalidSignature]: 'The package signature does not verify: it may have been tampered with.',
  [ErrorCode.VersionIncompatible]: 'This package needs a different version of the server.',
  [ErrorCode.Dependency]: 'A service this one needs is missing or not ready.',
  [ErrorCode.Uninitialized]: 'The server is not set up yet.',
  [ErrorCode.Timeout]: 'The server took too long to answer.',
  [ErrorCode.Cancelled]: 'Cancelled.',
  [ErrorCode.InstallFailed]: 'The installation failed.',
  [ErrorCode.UpdateFailed]: 'The update failed.',
}
