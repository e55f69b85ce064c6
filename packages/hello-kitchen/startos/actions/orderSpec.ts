import { sdk } from '../sdk'

const { InputSpec, Value, List, Variants } = sdk

/**
 * The Place Order form: one field of every type SDK 2.0.9's InputSpec has, in the order the
 * types are listed in its `ValueType`. The action stores what it gets in the file model, so the
 * form's type (`OrderSpec._TYPE`) is also the type of the stored order.
 */
export const orderSpec = InputSpec.of({
  dish: Value.text({
    name: 'Dish',
    description: 'What to cook',
    required: true,
    default: 'Soup',
    minLength: 1,
    maxLength: 40,
    patterns: [{ regex: '^[^<>]*$', description: 'No angle brackets' }],
  }),
  notes: Value.textarea({
    name: 'Notes',
    description: 'Anything the cook should know',
    required: false,
    default: null,
    maxLength: 500,
  }),
  servings: Value.number({
    name: 'Servings',
    required: true,
    default: 2,
    min: 1,
    max: 12,
    integer: true,
    units: 'plates',
  }),
  plateColor: Value.color({
    name: 'Plate Color',
    required: false,
    default: null,
  }),
  serveAt: Value.datetime({
    name: 'Serve At',
    required: false,
    default: null,
    inputmode: 'datetime-local',
    min: null,
    max: null,
  }),
  spicy: Value.toggle({
    name: 'Spicy',
    default: false,
  }),
  salted: Value.triState({
    name: 'Salted',
    description: 'Leave it in the middle to let the cook decide',
    default: null,
  }),
  course: Value.select({
    name: 'Course',
    default: 'main',
    values: { starter: 'Starter', main: 'Main', dessert: 'Dessert' },
  }),
  sides: Value.multiselect({
    name: 'Sides',
    default: [],
    values: { bread: 'Bread', salad: 'Salad', rice: 'Rice' },
    maxLength: 2,
  }),
  guests: Value.list(
    List.text({ name: 'Guests', description: 'Who is eating', default: [] }, { maxLength: 30 }),
  ),
  extras: Value.list(
    List.obj(
      { name: 'Extras', default: [] },
      {
        spec: InputSpec.of({
          item: Value.text({ name: 'Item', required: true, default: null }),
          quantity: Value.number({
            name: 'Quantity',
            required: true,
            default: 1,
            min: 1,
            integer: true,
          }),
        }),
        displayAs: '{{item}}',
        uniqueBy: 'item',
      },
    ),
  ),
  table: Value.object(
    { name: 'Table', description: 'Where to bring it' },
    InputSpec.of({
      number: Value.number({ name: 'Table Number', required: true, default: 1, integer: true }),
      byTheWindow: Value.toggle({ name: 'By the Window', default: false }),
    }),
  ),
  payment: Value.union({
    name: 'Payment',
    default: 'cash',
    variants: Variants.of({
      cash: { name: 'Cash', spec: InputSpec.of({}) },
      card: {
        name: 'Card',
        spec: InputSpec.of({
          last4: Value.text({
            name: 'Last 4 Digits',
            required: true,
            default: null,
            patterns: [{ regex: '^[0-9]{4}$', description: 'Four digits' }],
          }),
        }),
      },
    }),
  }),
  photo: Value.file({
    name: 'Photo',
    description: 'A picture of how it should look',
    required: false,
    extensions: ['.png', '.jpg'],
  }),
  // Not shown in the form: the prefill sets it, and it comes back with the input.
  ticket: Value.hidden<number>(),
})

export type Order = typeof orderSpec._TYPE
