import { describe, expect, it } from 'vitest';
import { countCpuList, parseMetrics } from '../../../src/core/ssh/metrics-collector';

const answer = (disk = 'disk 1048576 262144 786432\n') => `load 0.50 0.25 0.10\ncpus 8\nmemtotal 16384000\nmemavail 8192000\n${disk}uptime 3600.5\n`;

describe('parseMetrics', () => {
  it('turns a poll answer into metrics', () => {
    expect(parseMetrics(answer(), new Date('2026-01-01T00:00:00Z'))).toEqual({
      load_1: 0.5, load_5: 0.25, load_15: 0.1, cpu_count: 8, mem_total_mb: 16000, mem_available_mb: 8000,
      disk_total_gb: 1, disk_used_pct: 25, uptime_s: 3600.5, collected_at: '2026-01-01T00:00:00.000Z',
    });
  });

  it('keeps the previous disk figures when a poll skipped df', () => {
    expect(parseMetrics(answer(''), new Date(), { disk_total_gb: 9, disk_used_pct: 42 })).toMatchObject({ disk_total_gb: 9, disk_used_pct: 42, load_1: 0.5 });
  });

  it('says which figure is missing', () => {
    expect(() => parseMetrics('load 1 2 3\n')).toThrow(/did not report "disk"/);
    expect(() => parseMetrics(answer().replace('cpus 8', 'cpus x'))).toThrow(/"cpus"/);
  });
});

describe('CPU count from /sys/devices/system/cpu/online', () => {
  it('counts a kernel CPU list, and the poll uses it instead of /proc/cpuinfo', () => {
    expect(countCpuList('0')).toBe(1);
    expect(countCpuList('0-7\n')).toBe(8);
    expect(countCpuList('0-3,6,8-9')).toBe(7);
    expect(countCpuList('x')).toBeNaN();
    expect(parseMetrics('load 1 1 1\ncpuset 0-15\nmemtotal 1024\nmemavail 512\ndisk 1 1 1\nuptime 1\n').cpu_count).toBe(16);
    expect(() => parseMetrics('load 1 1 1\ncpuset 3-1\nmemtotal 1024\nmemavail 512\ndisk 1 1 1\nuptime 1\n')).toThrow(/"cpus"/);
  });
});
