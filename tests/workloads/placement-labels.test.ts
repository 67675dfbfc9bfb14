import { describe, expect, it } from 'vitest';
import { labelsFor, tagFromLabelKey, tagLabelKey } from '../../src/core/workloads/node-labels';
import { placementConstraints, placementFromConstraints } from '../../src/core/workloads/swarm-spec';
import { nodeInput } from '../helpers/nodes';
import type { Node } from '../../src/shared/schemas/node';

// Issue 39, finding 11: a placement by tag uses the key the node's label is written under.
describe('placement by tag', () => {
  const tags = ['gpu_a100', 'zone:eu', 'Rack/7', 'gpu_5fa100', 'db'];

  it('constrains on the escaped label key of each tag, so a node tagged so matches and no other', () => {
    const node = { ...nodeInput('n'), tags, maintenance: false, muted_until: null } as unknown as Node;
    const labels = labelsFor(node);
    for (const constraint of placementConstraints({ tags })) {
      const key = /^node\.labels\.(.+)==true$/.exec(constraint)![1];
      expect(labels[key], constraint).toBe('true');
    }
    // gpu_5fa100 and gpu_a100 are two keys, not one.
    expect(tagLabelKey('gpu_5fa100')).not.toBe(tagLabelKey('gpu_a100'));
  });

  it('reads its tags back as written, and a raw tag from before the escaping as written too', () => {
    expect(placementFromConstraints(placementConstraints({ tags }))).toEqual({ tags });
    expect(placementFromConstraints(['node.labels.mco.tag.zone:eu==true', 'node.labels.mco.tag.gpu_a100==true', 'node.labels.mco.tag.db==true'])).toEqual({ tags: ['zone:eu', 'gpu_a100', 'db'] });
    for (const tag of tags) expect(tagFromLabelKey(tagLabelKey(tag).slice('mco.tag.'.length))).toBe(tag);
  });
});
