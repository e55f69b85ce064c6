import { sdk } from '../sdk'
import { setName } from './setName'

export const actions = sdk.Actions.of().addAction(setName)
