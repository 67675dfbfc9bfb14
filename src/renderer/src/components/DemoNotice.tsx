import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Node } from '../../../shared/schemas/node';
import { useClusterStore } from '../store/cluster-store';
import { useGate } from '../store/scope-gate';

const DEMO_TAG = 'demo'; // what "Start the demo fleet" tags its nodes with (core/simulator/demo-fleet.ts)

// Counted once per change of the node list, not at every store change (a health update of every node).
let counted: { nodes: Map<string, Node>; count: number } | null = null;
function demoCount(nodes: Map<string, Node>): number {
  if (counted?.nodes !== nodes) {
    let count = 0;
    for (const node of nodes.values()) if (node.tags.includes(DEMO_TAG)) count++;
    counted = { nodes, count };
  }
  return counted.count;
}

/** While demo nodes are registered: says so, and removes them all in one action. */
export function DemoNotice() {
  const { t } = useTranslation();
  const api = useClusterStore((s) => s.api);
  const gate = useGate();
  const count = useClusterStore((s) => demoCount(s.nodes));
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!api || count === 0) return null;
  const remove = async () => {
    setBusy(true);
    try {
      await api.invoke('demo:remove', {});
      setConfirming(false);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="banner demo-notice" role="status" data-testid="demo-notice">
      {t('demo.present', { count })}{' '}
      {confirming ? (
        <>
          {t('demo.confirm', { count })}{' '}
          <button className="danger" onClick={remove} disabled={busy}>{t('demo.yesRemove')}</button>{' '}
          <button onClick={() => setConfirming(false)} disabled={busy}>{t('common.cancel')}</button>
        </>
      ) : (
        <button {...gate('demo:remove')} onClick={() => setConfirming(true)}>{t('demo.remove')}</button>
      )}
      {error && <span className="error" role="alert"> {error}</span>}
    </div>
  );
}
