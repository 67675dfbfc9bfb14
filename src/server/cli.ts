import fs from 'node:fs';
import { OrchestratorError } from '../shared/errors';

const HELP = `Usage: mcp-orchestrator <command> [flags]

Commands:
  serve            Run the core headless: REST API, web UI and MCP over HTTP
  desktop          The desktop app (npm start); fetches Electron on first start, else runs serve
  mcp              MCP over stdio (talks to the running service if one owns DATA_DIR)
  demo [--headless] Serve data/nodes.json as a simulated fleet (with a scripted outage) and start the app on it
                   [--demo-loopback auto|per-node|single]: single puts every node on 127.0.0.1 (macOS)
  import <file>    Import a seed-format nodes.json into DATA_DIR [--dry-run] [--skip-invalid]
  export [file]    Write all nodes in seed format (stdout when no file)
  import-tailscale [file]  Import machines from \`tailscale status --json\` (the local CLI when no file)
                   [--dry-run] [--include-self] [--include-non-linux] [--include-expired]

Settings (flag, environment variable or .env entry):
  --host HOST (127.0.0.1)            --port PORT (8000)
  --data-dir DATA_DIR                --nodes-file-path NODES_FILE_PATH
  --health-check-timeout s (5)       --health-check-interval s (15)
  --failure-threshold n (2)          --recovery-threshold n (2)
  --probe-concurrency n (1000)       --debug
  API_TOKEN (else generated into DATA_DIR/api-token)
  MCP_COMMAND_POLICY deny|ask|allow (deny)   MCP_ASK_TIMEOUT s (60)   MCP_READ_ONLY (false)
  SSH_KEY_PATH, SSH_KEY_PASSPHRASE, SSH_HOST_KEY_POLICY tofu|approve, SSH_CONCURRENCY (32), METRICS_INTERVAL s (60)
  ALERT_WEBHOOK_URL (comma-separated generic alert webhooks; more channels via PUT /cluster/alerts)
  SWARM_FAILOVER (drain in Docker Swarm what the monitor settles as unhealthy; see PUT /cluster/failover)`;

async function main(): Promise<void> {
  const [command = 'help', ...args] = process.argv.slice(2);
  // `serve --help` must print this, not start a service.
  if (['help', '--help', '-h'].includes(command) || args.includes('--help') || args.includes('-h')) return void console.log(HELP);
  // Everything else is loaded per command, so `--help` and the stdio MCP server load only what they use.
  const { loadServiceConfig, pinnedMonitorSettings } = await import('../core/config/load-config');
  const { config, rest, sources } = loadServiceConfig({ argv: args });
  const pinned = pinnedMonitorSettings(sources);

  switch (command) {
    case 'serve': {
      const { serveHeadless } = await import('./desktop');
      await serveHeadless(config, pinned);
      return;
    }
    case 'desktop': {
      const { runDesktop } = await import('./desktop');
      return runDesktop(config, pinned);
    }
    case 'mcp': {
      const { runMcpStdio } = await import('./mcp-stdio');
      return runMcpStdio(config, pinned);
    }
    case 'demo': {
      const { runDemo } = await import('./demo');
      return runDemo(config, rest, pinned);
    }
    case 'import':
    case 'import-tailscale':
    case 'export': {
      const { createCore } = await import('../core/app-core');
      const { monitorSettingsFrom } = await import('../core/config/load-config');
      const { defaultDataDir } = await import('../core/registry/data-dir');
      const { readJsonFile } = await import('../core/util/read-json-file');
      const core = createCore({ dataDir: config.DATA_DIR ?? defaultDataDir(), settings: monitorSettingsFrom(config) });
      try {
        if (command === 'import-tailscale') {
          const file = rest.find((a) => !a.startsWith('--'));
          const document = file ? readJsonFile(file, 'file') : await core.tailscale.readFromCli();
          const flag = (name: string) => rest.includes(`--${name}`);
          const report = core.tailscale.import(document, { dry_run: flag('dry-run'), include_self: flag('include-self'), include_non_linux: flag('include-non-linux'), include_expired: flag('include-expired') });
          console.log(JSON.stringify(report, null, 2));
        } else if (command === 'export') {
          const text = JSON.stringify(core.registry.exportSeed(), null, 2) + '\n';
          if (rest[0]) {
            fs.writeFileSync(rest[0], text, { mode: 0o600 }); // node addresses and SSH settings: owner only
            fs.chmodSync(rest[0], 0o600); // also when the file existed with a wider mode
          }
          else process.stdout.write(text);
        } else {
          if (!rest[0]) throw new OrchestratorError('bad_request', 'import needs a file', [{ field: 'file', message: 'is required' }]);
          const report = core.registry.importSeed(readJsonFile(rest[0], 'file'), {
            dry_run: rest.includes('--dry-run'),
            skip_invalid: rest.includes('--skip-invalid'),
          });
          console.log(JSON.stringify(report, null, 2));
          if (report.invalid.length > 0 && !report.applied) process.exitCode = 2;
        }
      } finally {
        await core.close();
      }
      return;
    }
    default:
      console.error(`Unknown command "${command}".\n\n${HELP}`);
      process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  if (error instanceof OrchestratorError) {
    console.error(`error: ${error.message}`);
    // Details the message does not already say, one per line.
    for (const detail of error.details) if (!error.message.includes(`${detail.field}: ${detail.message}`)) console.error(`  ${detail.field}: ${detail.message}`);
  } else if ((error as NodeJS.ErrnoException)?.code && (error as NodeJS.ErrnoException).syscall) {
    // A file-system refusal at start (read-only disk, permissions): one line that names the path.
    const e = error as NodeJS.ErrnoException;
    console.error(`error: ${e.code} on ${e.path ?? 'a file'} (${e.syscall}): ${e.message.replace(/^\w+: /, '')}. Check DATA_DIR and its permissions.`);
  } else console.error(error);
  process.exit(1);
});
