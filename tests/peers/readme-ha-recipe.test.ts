import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AMTOOL, alertmanagerMissing } from '../helpers/alertmanager';
import { PROMTOOL, prometheusMissing } from '../helpers/prometheus';
import { tempDir } from '../helpers/temp-dir';

const README = fs.readFileSync(path.resolve('README.md'), 'utf8');

/** The first fenced yaml block whose first line is `# <name>` (the recipe names each file it shows). */
function block(name: string): string {
  const match = new RegExp('```yaml\\n# ' + name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') + '\\n([\\s\\S]*?)```').exec(README);
  if (!match) throw new Error(`README has no yaml block for ${name}`);
  return match[1];
}

function check(tool: string, args: string[], text: string) {
  const file = path.join(tempDir('mco-readme-'), 'config.yml');
  fs.writeFileSync(file, text);
  return spawnSync(tool, [...args, file], { encoding: 'utf8' });
}

describe("the README's HA recipe", () => {
  it.skipIf(alertmanagerMissing)('its Alertmanager config passes amtool check-config (and a broken one does not)', () => {
    const config = block('/etc/alertmanager/alertmanager.yml');
    const ok = check(AMTOOL, ['check-config'], config);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/SUCCESS/);
    const broken = check(AMTOOL, ['check-config'], config.replace('receiver: team-chat', 'receiver: nobody'));
    expect(broken.status).not.toBe(0);
  });

  it.skipIf(prometheusMissing)('its Prometheus rule passes promtool check rules', () => {
    const result = check(PROMTOOL, ['check', 'rules'], block('/etc/prometheus/mco-rules.yml'));
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });
});
