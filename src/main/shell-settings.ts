import { ShellSettingsSchema, type ShellSettings } from '../shared/schemas/settings';

/**
 * The shell's settings from what its file holds, key by key: a valid value is kept, and a key this
 * version does not know or a value it refuses (a file from a newer version, after a downgrade, or
 * edited by hand) is named and left at its default, so no setting can stop every launch.
 */
export function readShellSettings(stored: Record<string, unknown>): { settings: ShellSettings; problems: string[] } {
  const shape = ShellSettingsSchema.shape;
  const kept: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(stored)) {
    if (!Object.hasOwn(shape, key)) {
      problems.push(`${key}: not a setting of this version`);
      continue;
    }
    const parsed = shape[key as keyof typeof shape].safeParse(value);
    if (parsed.success) kept[key] = parsed.data;
    else problems.push(`${key}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  return { settings: ShellSettingsSchema.parse(kept), problems };
}
