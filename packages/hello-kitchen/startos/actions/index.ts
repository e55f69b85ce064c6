import { sdk } from '../sdk'
import { placeOrder } from './placeOrder'

export const actions = sdk.Actions.of().addAction(placeOrder)
