/**
 * What hello-friend knows of its dependency hello-world (packages/hello-world): its package id,
 * the volume and file that hold the name it greets, and the id of its daemon's health check.
 */
export const helloWorldId = 'hello-world'
export const helloWorldVolume = 'main'
export const helloWorldHealthCheck = 'primary'
/** hello-world keeps the name it greets in `name.txt` at the root of its volume `main`. */
export const helloWorldNameFile = 'name.txt'

