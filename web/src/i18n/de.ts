import type { Catalog } from './catalog'

const de: Catalog = {
  'error.incorrect-password': 'Das Passwort ist nicht korrekt.',
  'error.authorization': 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.',
  'error.rate-limited': 'Zu viele Versuche. Warten Sie eine Minute und versuchen Sie es erneut.',
  'error.network': 'Der Server ist nicht erreichbar. Prüfen Sie, ob er eingeschaltet und in Ihrem Netzwerk ist.',
  'error.not-found': 'Das gibt es nicht mehr.',
  'error.parse-s9pk': 'Diese Datei ist kein gültiges Dienstpaket.',
  'error.validate-s9pk': 'Dieses Dienstpaket hat seine Prüfungen nicht bestanden.',
  'error.invalid-signature': 'Die Signatur des Pakets ist ungültig: Es wurde möglicherweise manipuliert.',
  'error.version-incompatible': 'Dieses Paket benötigt eine andere Version des Servers.',
  'error.dependency': 'Ein Dienst, den dieser benötigt, fehlt oder ist nicht bereit.',
  'error.uninitialized': 'Der Server ist noch nicht eingerichtet.',
  'error.timeout': 'Der Server hat zu lange für eine Antwort gebraucht.',
  'error.cancelled': 'Abgebrochen.',
  'error.install-failed': 'Die Installation ist fehlgeschlagen.',
  'error.update-failed': 'Das Update ist fehlgeschlagen.',
  'error.with-detail': '{sentence} ({detail})',
  'error.code': 'Fehler {code}',
}

export default de
