import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { OfflineBanner } from './app/offline-banner';
import { AuthProvider } from './auth/auth-context';
import { AppRoutes } from './routes';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <AuthProvider>
        {/* Outside the pages' error boundary: it is there on every page, whatever a page does. */}
        <OfflineBanner />
        <AppRoutes />
      </AuthProvider>
    </BrowserRouter>
  </StrictMode>,
);
