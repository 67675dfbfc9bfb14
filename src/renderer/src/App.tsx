import { useEffect, useMemo, useState } from 'react';
import { getApi } from './api/get-api';
import { rowsDependOnHealth, useClusterStore, visibleIds } from './store/cluster-store';
import { Header } from './components/Header';
import { Filters } from './components/Filters';
import { NodeTable } from './components/NodeTable';
import { NodeDetail } from './components/NodeDetail';
import { NodeForm } from './components/NodeForm';
import { ImportDialog } from './components/ImportDialog';
import { SettingsDialog } from './components/SettingsDialog';
import { EmptyState } from './components/EmptyState';
import { CommandDialog } from './components/CommandDialog';
import { DemoNotice } from './components/DemoNotice';

type Dialog = { kind: 'add' } | { kind: 'edit' } | { kind: 'import'; source?: 'file' | 'tailscale' } | { kind: 'settings' } | { kind: 'command'; nodeIds: string[] } | null;

export function App() {
  const connection = useClusterStore((s) => s.connection);
  const loaded = useClusterStore((s) => s.loaded);
  const nodes = useClusterStore((s) => s.nodes);
  // Health changes every sweep; the row list only needs it when filtering or sorting by it.
  const health = useClusterStore((s) => (rowsDependOnHealth(s) ? s.health : null));
  const order = useClusterStore((s) => s.order);
  const filter = useClusterStore((s) => s.filter);
  const sort = useClusterStore((s) => s.sort);
  const selectedId = useClusterStore((s) => s.selectedId);
  const [dialog, setDialog] = useState<Dialog>(null);
  const rows = useMemo(
    () => visibleIds({ nodes, health: health ?? useClusterStore.getState().health, order, filter, sort }),
    [nodes, health, order, filter, sort],
  );

  useEffect(() => {
    const store = useClusterStore.getState();
    const api = getApi((state) => {
      store.setConnection(state);
      if (state === 'open' && useClusterStore.getState().loaded) void store.reload(); // catch up after a reconnect
    });
    if (!api) return;
    let unsubscribe: (() => void) | undefined;
    let unmounted = false;
    void store.init(api).then(
      (off) => (unmounted ? off() : (unsubscribe = off)),
      () => store.setConnection('closed'),
    );
    // The shell asks to show a node (tray menu, notification click).
    const onShow = (event: Event) => store.select((event as CustomEvent<string>).detail);
    window.addEventListener('mco:show-node', onShow);
    return () => {
      unmounted = true;
      unsubscribe?.();
      api.dispose?.();
      window.removeEventListener('mco:show-node', onShow);
    };
  }, []);

  if (connection === 'no-token' || connection === 'unauthorized') {
    return (
      <main className="center">
        <h1>MCP Cloud Orchestrator</h1>
        <p>{connection === 'no-token' ? 'Open the login URL printed by `mcp-orchestrator serve` (it carries ?token=…).' : 'The service refused this token. Open the login URL again.'}</p>
      </main>
    );
  }
  const close = () => setDialog(null);
  return (
    <div className="app">
      <Header onAdd={() => setDialog({ kind: 'add' })} onImport={() => setDialog({ kind: 'import' })} onSettings={() => setDialog({ kind: 'settings' })} />
      {connection === 'closed' && <div className="banner" role="status">Connection to the service lost; reconnecting…</div>}
      <DemoNotice />
      {!loaded ? (
        <main className="center">Loading…</main>
      ) : order.length === 0 ? (
        <EmptyState onAdd={() => setDialog({ kind: 'add' })} onImport={(source) => setDialog({ kind: 'import', source })} />
      ) : (
        <main className="main">
          <section className="list">
            <Filters shown={rows.length} onRun={() => setDialog({ kind: 'command', nodeIds: rows })} />
            <NodeTable rows={rows} />
          </section>
          {selectedId && nodes.has(selectedId) && <NodeDetail onEdit={() => setDialog({ kind: 'edit' })} onRun={(nodeIds) => setDialog({ kind: 'command', nodeIds })} />}
        </main>
      )}
      {dialog && (
        <div className="dialog" role="dialog" aria-modal="true" onKeyDown={(e) => e.key === 'Escape' && close()}>
          {dialog.kind === 'add' && <NodeForm onClose={close} />}
          {dialog.kind === 'edit' && selectedId && nodes.has(selectedId) && <NodeForm node={nodes.get(selectedId)} onClose={close} />}
          {dialog.kind === 'import' && <ImportDialog onClose={close} initialSource={dialog.source} />}
          {dialog.kind === 'settings' && <SettingsDialog onClose={close} />}
          {dialog.kind === 'command' && <CommandDialog nodeIds={dialog.nodeIds} onClose={close} />}
        </div>
      )}
    </div>
  );
}
