import { useRef, useState } from 'react';
import { deviceName } from '@todo/shared/device-name';
import { reasonOf } from '../api/reason';
import { Button } from '../components/button';
import { isFocusLost } from '../components/focus-lost';
import { FormError } from '../components/form-error';
import * as accountApi from './account-api';
import type { Session } from './account-api';
import { relativeTime } from './relative-time';
import { SettingsSection } from './settings-section';
import { useLoaded } from './use-loaded';
import { useNow } from './use-now';

interface DevicesSectionProps {
  version: number;
  announce: (text: string) => void;
  onChanged: () => void;
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/**
 * Every live session, this one first marked "This device". Signing another device out asks nothing
 * first: signing in again there undoes it.
 */
export function DevicesSection({ version, announce, onChanged }: DevicesSectionProps) {
  const sessions = useLoaded(accountApi.listSessions, version);
  const now = useNow();
  const [pending, setPending] = useState<string>();
  const [error, setError] = useState<string>();
  // A ref, not state: a second press can arrive before React re-renders the busy button.
  const inFlight = useRef(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  async function act(key: string, action: () => Promise<string>) {
    if (inFlight.current) return;
    inFlight.current = true;
    setPending(key);
    setError(undefined);
    try {
      announce(await action());
      onChanged();
    } catch (failure) {
      setError(reasonOf(failure));
    } finally {
      inFlight.current = false;
      setPending(undefined);
      // The pressed button went with its device: the keyboard carries on from the section's heading.
      if (isFocusLost()) headingRef.current?.focus();
    }
  }

  const signOutDevice = (session: Session, name: string) =>
    act(session.id, async () => {
      await accountApi.revokeSession(session.id);
      sessions.setData((sessions.data ?? []).filter((other) => other.id !== session.id));
      return `${name} was signed out`;
    });

  const signOutOthers = () =>
    act('others', async () => {
      const revoked = await accountApi.signOutOtherSessions();
      sessions.setData((sessions.data ?? []).filter((session) => session.current));
      return revoked === 0
        ? 'No other devices were signed in'
        : `Signed out of ${plural(revoked, 'other device', 'other devices')}`;
    });

  return (
    <SettingsSection title="Devices" headingRef={headingRef}>
      <FormError message={error ?? sessions.error} />
      {sessions.data === undefined && !sessions.error && <p role="status">Loading your devices</p>}
      {sessions.data && (
        <ul className="devices">
          {sessions.data.map((session) => {
            const name = deviceName(session.user_agent);
            return (
              <li key={session.id} className="device">
                <p className="device__name">
                  <span dir="auto">{name}</span>
                  {session.current && <span className="badge">This device</span>}
                </p>
                <dl className="settings__facts">
                  <div>
                    <dt>IP</dt>
                    <dd>{session.ip ?? 'Unknown'}</dd>
                  </div>
                  <div>
                    <dt>Signed in</dt>
                    <dd>
                      <time dateTime={session.created_at}>{relativeTime(session.created_at, now)}</time>
                    </dd>
                  </div>
                  <div>
                    <dt>Last active</dt>
                    <dd>
                      <time dateTime={session.last_seen_at}>{relativeTime(session.last_seen_at, now)}</time>
                    </dd>
                  </div>
                </dl>
                {!session.current && (
                  <Button
                    variant="secondary"
                    onClick={() => void signOutDevice(session, name)}
                    busy={pending === session.id}
                    busyLabel="Signing out…"
                  >
                    Sign out<span className="visually-hidden"> {name}</span>
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <Button
        variant="secondary"
        onClick={() => void signOutOthers()}
        busy={pending === 'others'}
        busyLabel="Signing out…"
      >
        Sign out of all other devices
      </Button>
    </SettingsSection>
  );
}
