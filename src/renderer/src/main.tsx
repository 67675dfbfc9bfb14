import './zod-config'; // first: before any schema parses
import { setupI18n } from './i18n/setup-i18n';
import { warmUpFormatters } from './i18n/format';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';

setupI18n();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
// After the first render is queued, so it overlaps the connection to the service.
setTimeout(warmUpFormatters, 0);
