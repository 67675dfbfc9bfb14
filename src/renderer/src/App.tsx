import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getApi } from './api/get-api';
import { rowsDependOnHealth, useClusterStore, visibleIds } from './store/cluster-store';
import { searchWithView, viewFromSearch } from './store/url-view';
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
import { Modal } from './components/Modal';
import { TokenScreen } from './components/TokenScreen';
import { usePageStatus } from './components/page-status';
import { ServicesView } from './components/ServicesView';
import { ServiceDeployForm } from './components/ServiceDeployForm';
import { EventsView } from './components/EventsView';

// Health updates re-render the app when rows are sorted by state (the default); these parts do not
// depend on health, so they are memoised and given stable callbacks.
const StableHeader = memo(Header);
const StableFilters = memo(Filters);
const StableDetail = memo(NodeDetail);

const VIEWS = ['nodes', 'services', 'events'] as const;
type View = (typeof VIEWS)[number];

type Dialog = { kind: 'add' } | { kind: 'edit'; docker?: boolean } | { kind: 'import'; source?: 'file' | 'tailscale' } | { kind: 'settings' } | { kind: 'command'; nodeIds: string[] } | { kind: 'deploy' } | null;

export function App() {
  const { t } = useTranslation();
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
  // Nodes (the table), Services (workloads on Swarm) or Events (the event log and the audit); the
  // address keeps it, so a reload stays there.
  const [view, setView] = useState<View>(() => VIEWS.find((v) => v === new URLSearchParams(window.location.search).get('view')) ?? 'nodes');
  const [servicesChanged, setServicesChanged] = useState(0);
  const showView = useCallback((next: View) => {
    setView(next);
    const params = new URLSearchParams(window.location.search);
    if (next !== 'nodes') params.set('view', next);
    else params.delete('view');
    const search = params.toString();
    window.history.replaceState(null, '', window.location.pathname + (search ? `?${search}` : '') + window.location.hash);
  }, []);
  const open = useMemo(
    () => ({
      add: () => setDialog({ kind: 'add' }),
      edit: () => setDialog({ kind: 'edit' }),
      import: (source?: 'file' | 'tailscale') => setDialog({ kind: 'import', source }),
      settings: () => setDialog({ kind: 'settings' }),
      command: (nodeIds: string[]) => setDialog({ kind: 'command', nodeIds }),
      deploy: () => setDialog({ kind: 'deploy' }),
      // From the Services view's empty state: the node's form, with Docker switched on to confirm.
      enableDocker: (nodeId: string) => {
        useClusterStore.getState().select(nodeId);
        setDialog({ kind: 'edit', docker: true });
      },
    }),
    [],
  );
  const rows = useMemo(
    () => visibleIds({ nodes, health: health ?? useClusterStore.getState().health, order, filter, sort }),
    [nodes, health, order, filter, sort],
  );
  usePageStatus();
  // The rows shown when pressed (kept in a ref, so the callback stays the same while rows change).
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const runOnShown = useCallback(() => open.command(rowsRef.current), [open]);

  useEffect(() => {
    const store = useClusterStore.getState();
    let initFailed = false;
    const api = getApi((state) => {
      store.setConnection(state);
      // Catch up after a reconnect, or load for the first time if the service was down at the start.
      if (state === 'open' && (initFailed || useClusterStore.getState().loaded)) void store.reload().catch(() => store.setConnection('closed'));
    });
    // The view (filters, sort) comes from the address and is written back as it changes.
    useClusterStore.setState(viewFromSearch(window.location.search));
    const offView = useClusterStore.subscribe((s, prev) => {
      if (s.filter === prev.filter && s.sort === prev.sort) return;
      const search = searchWithView(window.location.search, s);
      if (search !== window.location.search) window.history.replaceState(null, '', window.location.pathname + search + window.location.hash);
    });
    if (!api) return offView;
    let unsubscribe: (() => void) | undefined;
    let unmounted = false;
    // A link from an alert (?node=db-1) opens on that node.
    const linked = new URLSearchParams(window.location.search).get('node');
    void store.init(api).then(
      (off) => {
        if (unmounted) return off();
        unsubscribe = off;
        if (linked && useClusterStore.getState().nodes.has(linked)) store.select(linked);
      },
      (error: { payload?: { error?: string } }) => {
        initFailed = true;
        // A desktop app watching a service whose token was refused before this window loaded.
        store.setConnection(error.payload?.error === 'unauthorized' ? 'unauthorized' : 'closed'); // setConnection keeps a refused token refused
      },
    );
    // The shell asks to show a node (tray menu, notification click).
    const onShow = (event: Event) => store.select((event as CustomEvent<string>).detail);
    window.addEventListener('mco:show-node', onShow);
    return () => {
      unmounted = true;
      offView();
      unsubscribe?.();
      api.dispose?.();
      window.removeEventListener('mco:show-node', onShow);
    };
  }, []);

  if (connection === 'no-token' || connection === 'unauthorized') return <TokenScreen refused={connection === 'unauthorized'} />;
  const close = () => setDialog(null);
  return (
    <div className="app">
      <StableHeader onAdd={open.add} onImport={open.import} onSettings={open.settings} />
      {connection === 'closed' && <div className="banner" role="status" data-testid="connection-lost">{t('connection.lost')}</div>}
      <nav className="view-tabs" aria-label={t('header.views')}>
        <button aria-pressed={view === 'nodes'} onClick={() => showView('nodes')}>{t('header.nodes')}</button>
        <button aria-pressed={view === 'services'} onClick={() => showView('services')}>{t('header.services')}</button>
        <button aria-pressed={view === 'events'} onClick={() => showView('events')}>{t('header.events')}</button>
      </nav>
      <DemoNotice />
      {!loaded ? (
        <main className="center">{t('common.loading')}</main>
      ) : view === 'events' ? (
        <EventsView />
      ) : view === 'services' ? (
        <ServicesView onDeploy={open.deploy} onEnableDocker={open.enableDocker} refreshKey={servicesChanged} />
      ) : order.length === 0 ? (
        <EmptyState onAdd={open.add} onImport={open.import} />
      ) : (
        <main className="main">
          <section className="list">
            <StableFilters shown={rows.length} onRun={runOnShown} />
            <NodeTable rows={rows} />
          </section>
          {selectedId && nodes.has(selectedId) && <StableDetail onEdit={open.edit} onRun={open.command} />}
        </main>
      )}
      {dialog && (
        <Modal onClose={close}>
          {dialog.kind === 'add' && <NodeForm onClose={close} />}
          {dialog.kind === 'edit' && selectedId && nodes.has(selectedId) && <NodeForm node={nodes.get(selectedId)} enableDocker={dialog.docker} onClose={close} />}
          {dialog.kind === 'import' && <ImportDialog onClose={close} initialSource={dialog.source} />}
          {dialog.kind === 'settings' && <SettingsDialog onClose={close} />}
          {dialog.kind === 'command' && <CommandDialog nodeIds={dialog.nodeIds} onClose={close} />}
          {dialog.kind === 'deploy' && <ServiceDeployForm onClose={close} onDeployed={() => setServicesChanged((n) => n + 1)} />}
        </Modal>
      )}
    </div>
  );
}
