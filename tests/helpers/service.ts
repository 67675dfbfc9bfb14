import { request } from 'undici';
import { ServiceConfigSchema, type ServiceConfig } from '../../src/shared/schemas/config';
import { startService, type RunningService } from '../../src/server/serve';
import { tempDir } from './temp-dir';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

/** Starts the headless service on a free loopback port with its own data directory. */
export async function startTestService(overrides: Partial<Record<keyof ServiceConfig, unknown>> = {}): Promise<RunningService & { config: ServiceConfig; call: Caller }> {
  const config = ServiceConfigSchema.parse({ PORT: 0, DATA_DIR: tempDir(), API_TOKEN: TEST_TOKEN, HEALTH_CHECK_INTERVAL: 3600, HEALTH_CHECK_TIMEOUT: 0.5, ...overrides });
  const service = await startService(config, () => {});
  return { ...service, config, call: caller(service.url) };
}

export type Caller = (method: string, path: string, options?: { body?: unknown; raw?: string; headers?: Record<string, string>; token?: string | null }) => // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers
  Promise<{ status: number; body: any; headers: Record<string, unknown> }>;

export function caller(base: string): Caller {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? TEST_TOKEN : options.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    } else if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await request(base + path, { method: method as 'GET', headers, body });
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.statusCode, body: parsed, headers: res.headers };
  };
}
