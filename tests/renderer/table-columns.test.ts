import { describe, expect, it } from 'vitest';
import { hiddenColumns, VALUE_ORDER } from '../../src/renderer/src/components/table-columns';

// Widths as measured for the demo's 17 nodes in English (NodeTable's measureColumns).
const measured = { id: 76, tailscale_ip: 91, state: 123, latency: 85, checked: 133, hostname: 110, role: 70, tags: 90, uptime: 84 };

describe('which node-table columns a width shows', () => {
  it('shows every column where all fit, and drops the lowest-value ones first', () => {
    expect(hiddenColumns(measured, 1300)).toEqual([]);
    expect(hiddenColumns(measured, 800)).toEqual(['tags']);
    expect(VALUE_ORDER.slice(0, 2)).toEqual(['id', 'state']);
  });

  it('keeps the address beside a node detail on a laptop, and takes any column that still fits', () => {
    // 1280 px with the detail open: the table is 782 px.
    expect(hiddenColumns(measured, 782)).toEqual(['tags']);
    // 850 px with the detail: 448 px. The address stays; the uptime does not fit, the role does.
    expect(hiddenColumns(measured, 448)).toEqual(['uptime', 'checked', 'hostname', 'tags']);
  });

  it('on a phone shows the id, state, latency and what else fits; never fewer than the id and state', () => {
    expect(hiddenColumns(measured, 376)).toEqual(['uptime', 'checked', 'hostname', 'role', 'tags']);
    expect(hiddenColumns(measured, 300)).toEqual(['tailscale_ip', 'uptime', 'checked', 'hostname', 'role', 'tags']);
    expect(hiddenColumns(measured, 100)).toEqual(['latency', 'tailscale_ip', 'uptime', 'checked', 'hostname', 'role', 'tags']);
  });
});
