import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestService } from '../helpers/service';
import { tempDir } from '../helpers/temp-dir';

// Issue 39, finding 13: a corrupt tokens.json is moved aside and reported, as SECURITY.md promises;
// the service starts and the admin token works. The service on 127.93.0.1.
describe('a corrupt tokens.json', () => {
  it.each([
    ['not JSON', '{"tokens": [', 'could not be parsed as JSON'],
    ['not tokens', '{"tokens": "x"}', 'does not hold tokens (tokens:'],
  ])('%s: kept aside, reported in the event log, and the admin token still opens the service', async (_name, content, why) => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'tokens.json'), content);
    const service = await startTestService({ HOST: '127.93.0.1', DATA_DIR: dataDir });
    try {
      expect((await service.call('GET', '/cluster/tokens')).body).toEqual({ tokens: [] });
      const aside = fs.readdirSync(dataDir).filter((f) => f.startsWith('tokens.corrupt-'));
      expect(aside).toHaveLength(1);
      expect(fs.readFileSync(path.join(dataDir, aside[0]), 'utf8')).toBe(content);
      const events = (await service.call('GET', '/cluster/events?limit=50')).body.events as Array<{ kind: string; reason: string }>;
      expect(events).toContainEqual(expect.objectContaining({ kind: 'store_recovered', reason: expect.stringContaining(why) }));
      // A new token is kept in a fresh file.
      expect((await service.call('POST', '/cluster/tokens', { body: { name: 'fresh', scope: 'viewer' } })).status).toBe(201);
    } finally {
      await service.close();
    }
  });
});
