import { sshdMissing } from '../../src/core/simulator/openssh-fleet';

export { startSshdFleet, type SshdFleet } from '../../src/core/simulator/openssh-fleet';

// In CI .ci/run installs openssh-server, so a missing sshd is a failure there, not a skip.
if (sshdMissing) {
  if (process.env.CI) throw new Error(sshdMissing);
  console.warn(`[skip] SSH tests: ${sshdMissing}`);
}
export { sshdMissing };
