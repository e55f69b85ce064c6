import { signal } from '@preact/signals'

/** A file dropped anywhere on the page, for the sideload page to take. */
export const dropped = signal<File | null>(null)
