import type { Catalog } from './catalog'

const pl: Catalog = {
  'error.incorrect-password': 'Hasło jest nieprawidłowe.',
  'error.authorization': 'Twoja sesja wygasła. Zaloguj się ponownie.',
  'error.rate-limited': 'Zbyt wiele prób. Odczekaj minutę i spróbuj ponownie.',
  'error.network': 'Nie można połączyć się z serwerem. Sprawdź, czy jest włączony i w Twojej sieci.',
  'error.not-found': 'To już nie istnieje.',
  'error.parse-s9pk': 'Ten plik nie jest prawidłowym pakietem usługi.',
  'error.validate-s9pk': 'Ten pakiet usługi nie przeszedł weryfikacji.',
  'error.invalid-signature': 'Podpis pakietu jest nieprawidłowy: pakiet mógł zostać zmodyfikowany.',
  'error.version-incompatible': 'Ten pakiet wymaga innej wersji serwera.',
  'error.dependency': 'Brakuje usługi, której ta potrzebuje, lub nie jest ona gotowa.',
  'error.uninitialized': 'Serwer nie jest jeszcze skonfigurowany.',
  'error.timeout': 'Serwer zbyt długo nie odpowiadał.',
  'error.cancelled': 'Anulowano.',
  'error.install-failed': 'Instalacja nie powiodła się.',
  'error.update-failed': 'Aktualizacja nie powiodła się.',
  'error.with-detail': '{sentence} ({detail})',
  'error.code': 'Błąd {code}',
}

export default pl
