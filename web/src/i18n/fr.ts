import type { Catalog } from './catalog'

const fr: Catalog = {
  'error.incorrect-password': 'Le mot de passe est incorrect.',
  'error.authorization': 'Votre session a pris fin. Veuillez vous reconnecter.',
  'error.rate-limited': 'Trop de tentatives. Attendez une minute puis réessayez.',
  'error.network': 'Le serveur est injoignable. Vérifiez qu’il est allumé et sur votre réseau.',
  'error.not-found': 'Cet élément n’existe plus.',
  'error.parse-s9pk': 'Ce fichier n’est pas un paquet de service valide.',
  'error.validate-s9pk': 'Ce paquet de service n’a pas passé ses vérifications.',
  'error.invalid-signature': 'La signature du paquet n’est pas valide : il a peut-être été altéré.',
  'error.version-incompatible': 'Ce paquet nécessite une autre version du serveur.',
  'error.dependency': 'Un service dont celui-ci a besoin est absent ou pas prêt.',
  'error.uninitialized': 'Le serveur n’est pas encore configuré.',
  'error.timeout': 'Le serveur a mis trop de temps à répondre.',
  'error.cancelled': 'Annulé.',
  'error.install-failed': 'L’installation a échoué.',
  'error.update-failed': 'La mise à jour a échoué.',
  'error.with-detail': '{sentence} ({detail})',
  'error.code': 'Erreur {code}',
}

export default fr
