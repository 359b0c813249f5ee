import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createApiClient } from './api-client.ts';
import './styles.css';

const rootElement = document.getElementById('root');
if (rootElement === null) throw new Error('index.html has no #root element');
const client = createApiClient();
createRoot(rootElement).render(
  <StrictMode>
    <App api={client.api} clientKind={client.kind} />
  </StrictMode>,
);
