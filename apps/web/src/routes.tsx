import { lazy, Suspense, type ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useLocation, useSearchParams } from 'react-router';
import { ErrorBoundary } from './app/error-boundary';
import { PageHeading } from './app/page-heading';
import { HOME_PATH, safeReturnPath } from './app/paths';
import { useAuth } from './auth/auth-context';
import { SignInPage } from './auth/sign-in-page';
import { SignUpPage } from './auth/sign-up-page';
import { loadSettingsPage, loadTasksPage } from './app/shared-schemas';
import { BrandedLoading, DashboardSkeleton, PageSkeleton } from './components/skeleton';

const TasksPage = lazy(loadTasksPage);
const SettingsPage = lazy(loadSettingsPage);

/** Signed-in pages: a signed-out visit goes to sign-in and remembers where it was going. */
function RequireAuth({ children, skeleton = <DashboardSkeleton /> }: { children: ReactNode; skeleton?: ReactNode }) {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'loading') return skeleton;
  if (state.status === 'signed-out') {
    // Someone who signed out is not "on their way" anywhere; someone whose session ended is.
    if (state.accountDeleted) return <Navigate to="/auth/signup" replace />;
    if (state.byChoice) return <Navigate to="/auth/signin" replace />;
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/auth/signin?next=${next}`} replace />;
  }
  return children;
}

/** Sign-in and sign-up: a signed-in visit goes on to where it was headed, or the dashboard. */
function SignedOutOnly({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const [params] = useSearchParams();
  if (state.status === 'loading') return <BrandedLoading />;
  if (state.status === 'signed-in') {
    return <Navigate to={safeReturnPath(params.get('next'), window.location.origin)} replace />;
  }
  return children;
}

function HomeRedirect() {
  const { state } = useAuth();
  if (state.status === 'loading') return <BrandedLoading />;
  return <Navigate to={state.status === 'signed-in' ? HOME_PATH : '/auth/signin'} replace />;
}

function NotFoundPage() {
  return (
    <main className="page page--center">
      <PageHeading>Page not found</PageHeading>
      <p>
        <Link to="/">Go to your tasks</Link>
      </p>
    </main>
  );
}

/** Every page, inside one error boundary: a page that fails to render shows an error page, never a blank one. */
export function AppRoutes() {
  const { pathname } = useLocation();
  return (
    // Keyed by the path, so going to another page gives that page a fresh start.
    <ErrorBoundary key={pathname}>
      <Routes>
        <Route path="/" element={<HomeRedirect />} />
        <Route
          path="/auth/signin"
          element={
            <SignedOutOnly>
              <SignInPage />
            </SignedOutOnly>
          }
        />
        <Route
          path="/auth/signup"
          element={
            <SignedOutOnly>
              <SignUpPage />
            </SignedOutOnly>
          }
        />
        <Route
          path="/dashboard"
          element={
            <RequireAuth>
              <Suspense fallback={<DashboardSkeleton />}>
                <TasksPage />
              </Suspense>
            </RequireAuth>
          }
        />
        <Route
          path="/settings"
          element={
            <RequireAuth skeleton={<PageSkeleton />}>
              <Suspense fallback={<PageSkeleton />}>
                <SettingsPage />
              </Suspense>
            </RequireAuth>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </ErrorBoundary>
  );
}
