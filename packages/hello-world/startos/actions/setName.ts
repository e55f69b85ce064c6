import { sdk } from '../sdk'
import { readName, writeName } from '../page'

const { InputSpec, Value } = sdk

export const inputSpec = InputSpec.of({
  name: Value.text({
    name: 'Name',
    description: 'Who the page greets',
    required: true,
    default: 'World',
    minLength: 1,
    maxLength: 64,
  }),
})

export const setName = sdk.Action.withInput(
  'set-name',
  async () => ({
    name: 'Set Name',
    description: 'Choose the name the web page greets',
    warning: null,
    allowedStatuses: 'any',
    group: null,
    visibility: 'enabled',
  }),
  inputSpec,
  async () => {
    const name = await readName()
    return name === null ? null : { name }
  },
  async ({ input }) => {
    await writeName(input.name)
    return null
  },
)
