import { z } from 'zod';

// The page's CSP forbids eval. zod's JIT probes for it with `new Function`, which the browser
// reports as a CSP violation; the interpreter is fast enough for forms and pushed events.
z.config({ jitless: true });
