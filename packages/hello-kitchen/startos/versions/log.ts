import { sdk } from '../sdk'

/** Appends a line to migrations.log in the data volume: a record of every migration that ran. */
export async function logMigration(line: string): Promise<void> {
  let before = ''
  try {
    before = (await sdk.volumes.main.readFile('migrations.log', 'utf8')).toString()
  } catch {
    // the first migration: no log yet
  }
  await sdk.volumes.main.writeFile('migrations.log', before + line + '\n')
}
