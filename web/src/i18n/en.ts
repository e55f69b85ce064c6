/** English: the source catalog. Every other catalog has exactly these keys (a test checks). */
const en = {
  'error.incorrect-password': 'The password is not correct.',
  'error.authorization': 'Your session has ended. Please log in again.',
  'error.rate-limited': 'Too many attempts. Wait a minute and try again.',
  'error.network': 'The server cannot be reached. Check that it is on and on your network.',
  'error.not-found': 'That no longer exists.',
  'error.parse-s9pk': 'This file is not a valid service package.',
  'error.validate-s9pk': 'This service package failed its checks.',
  'error.invalid-signature': 'The package signature does not verify: it may have been tampered with.',
  'error.version-incompatible': 'This package needs a different version of the server.',
  'error.dependency': 'A service this one needs is missing or not ready.',
  'error.uninitialized': 'The server is not set up yet.',
  'error.timeout': 'The server took too long to answer.',
  'error.cancelled': 'Cancelled.',
  'error.install-failed': 'The installation failed.',
  'error.update-failed': 'The update failed.',
  'error.with-detail': '{sentence} ({detail})',
  'error.code': 'Error {code}',
} as const

export default en
