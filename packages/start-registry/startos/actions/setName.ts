import { sdk } from '../sdk'
import { call, info } from '../registry'

const { InputSpec, Value } = sdk

export const inputSpec = InputSpec.of({
  name: Value.text({
    name: 'Name',
    description: 'What a Marketplace shows for this registry',
    required: true,
    default: 'Hearth Registry',
    minLength: 1,
    maxLength: 64,
  }),
})

/**
 * Renames the registry: `info.set-name`, an admin method, signed with the service key. The name
 * lives in the registry's database, so the registry must be running.
 */
export const setName = sdk.Action.withInput(
  'set-name',
  async () => ({
    name: 'Set Name',
    description: 'Choose the name a Marketplace shows for this registry',
    warning: null,
    allowedStatuses: 'only-running',
    group: null,
    visibility: 'enabled',
  }),
  inputSpec,
  async () => {
    try {
      const { name } = await info()
      return name === null ? null : { name }
    } catch {
      return null
    }
  },
  async ({ input }) => {
    await call('info.set-name', { name: input.name }, true)
    return null
  },
)
