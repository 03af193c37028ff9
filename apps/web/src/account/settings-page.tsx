import { useCallback, useRef, useState } from 'react';
import { PageHeading } from '../app/page-heading';
import { TopBar } from '../app/top-bar';
import type { User } from '../auth/auth-api';
import { useAuth } from '../auth/auth-context';
import { FormError } from '../components/form-error';
import { ToastRegion, type ToastMessage } from '../components/toast';
import { ActivitySection } from './activity-section';
import { DeleteAccountSection } from './delete-account-section';
import { DevicesSection } from './devices-section';
import { PasswordSection } from './password-section';
import { ProfileSection } from './profile-section';

/** How long a result ("Name saved") stays at the foot of the screen. */
const RESULT_MS = 6_000;

export function SettingsPage() {
  const { state } = useAuth();
  if (state.status !== 'signed-in') return null;
  return <Settings user={state.user} />;
}

function Settings({ user }: { user: User }) {
  const [toast, setToast] = useState<ToastMessage>();
  const [signOutError, setSignOutError] = useState<string>();
  // Bumped after every change, so the devices and the security activity show what the server now holds.
  const [version, setVersion] = useState(0);
  const toastIds = useRef(0);
  const announce = useCallback((text: string) => setToast({ id: ++toastIds.current, text, durationMs: RESULT_MS }), []);
  const changed = useCallback(() => setVersion((current) => current + 1), []);

  return (
    <div className="app">
      <TopBar user={user} onSignOutError={setSignOutError} />
      <main className="page settings">
        <PageHeading>Account settings</PageHeading>
        <FormError message={signOutError} />
        <ProfileSection user={user} announce={announce} onChanged={changed} />
        <PasswordSection announce={announce} onChanged={changed} />
        <DevicesSection version={version} announce={announce} onChanged={changed} />
        <ActivitySection version={version} />
        <DeleteAccountSection />
      </main>
      <ToastRegion toast={toast} onClose={() => setToast(undefined)} />
    </div>
  );
}
