import { sdk } from '../sdk'
import { call, parsePublicKey } from '../registry'

const { InputSpec, Value } = sdk

export const inputSpec = InputSpec.of({
  name: Value.text({
    name: 'Name',
    description: 'Who holds the key, as the registry lists its signers',
    required: true,
    default: null,
    minLength: 1,
    maxLength: 64,
  }),
  key: Value.textarea({
    name: 'Public key',
    description:
      'The Ed25519 public key, PEM ("-----BEGIN PUBLIC KEY-----"): `start-cli init key` makes a developer key, and `start-cli pubkey` prints its public half',
    required: true,
    default: null,
    minLength: 1,
    maxLength: 4096,
    placeholder: '-----BEGIN PUBLIC KEY-----',
  }),
})

type Signers = Record<string, { name: string; keys: string[] }>

/**
 * Makes a key an admin of the registry: the signer that already holds it, else a new signer
 * (`admin.signer.add`), then `admin.add`. Both are admin methods, signed with the service key. An
 * admin may publish new packages and manage everything else (docs/registry.md, "Who may do what").
 */
export const addAdmin = sdk.Action.withInput(
  'add-admin',
  async () => ({
    name: 'Add Admin',
    description: 'Let the holder of a key publish packages to this registry and manage it',
    warning:
      'An admin may publish, remove and authorize packages, and add or remove other signers and admins.',
    allowedStatuses: 'only-running',
    group: null,
    visibility: 'enabled',
  }),
  inputSpec,
  async () => null,
  async ({ input }) => {
    const key = parsePublicKey(input.key)
    const signers = (await call('admin.signer.list', {}, true)) as Signers
    let id = Object.entries(signers).find(([, s]) =>
      s.keys.some((k) => {
        try {
          return parsePublicKey(k).equals(key)
        } catch {
          return false
        }
      }),
    )?.[0]
    if (id === undefined) {
      const signer = { name: input.name, contact: [], keys: [input.key.trim() + '\n'] }
      id = (await call('admin.signer.add', signer, true)) as string
    }
    await call('admin.add', { signer: id }, true)
    return {
      version: '1',
      title: 'Admin added',
      message: `${input.name} is an admin of this registry, as signer ${id}.`,
      result: null,
    }
  },
)
