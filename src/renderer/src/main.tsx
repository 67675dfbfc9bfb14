import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')!).render(<p>MCP Cloud Orchestrator</p>);
