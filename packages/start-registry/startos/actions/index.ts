import { sdk } from '../sdk'
import { addAdmin } from './addAdmin'
import { setName } from './setName'
import { showUrls } from './showUrls'

export const actions = sdk.Actions.of().addAction(showUrls).addAction(setName).addAction(addAdmin)
