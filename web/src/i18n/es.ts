import type { Catalog } from './catalog'

const es: Catalog = {
  'error.incorrect-password': 'La contraseña no es correcta.',
  'error.authorization': 'Su sesión ha terminado. Vuelva a iniciar sesión.',
  'error.rate-limited': 'Demasiados intentos. Espere un minuto y vuelva a intentarlo.',
  'error.network': 'No se puede contactar con el servidor. Compruebe que está encendido y en su red.',
  'error.not-found': 'Eso ya no existe.',
  'error.parse-s9pk': 'Este archivo no es un paquete de servicio válido.',
  'error.validate-s9pk': 'Este paquete de servicio no superó sus comprobaciones.',
  'error.invalid-signature': 'La firma del paquete no es válida: puede haber sido manipulado.',
  'error.version-incompatible': 'Este paquete necesita otra versión del servidor.',
  'error.dependency': 'Falta un servicio que este necesita, o no está listo.',
  'error.uninitialized': 'El servidor aún no está configurado.',
  'error.timeout': 'El servidor tardó demasiado en responder.',
  'error.cancelled': 'Cancelado.',
  'error.install-failed': 'La instalación falló.',
  'error.update-failed': 'La actualización falló.',
  'error.with-detail': '{sentence} ({detail})',
  'error.code': 'Error {code}',
}

export default es
