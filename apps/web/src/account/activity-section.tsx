import { deviceName } from '@todo/shared/device-name';
import { FormError } from '../components/form-error';
import * as accountApi from './account-api';
import { describeEvent } from './event-description';
import { relativeTime } from './relative-time';
import { SettingsSection } from './settings-section';
import { useLoaded } from './use-loaded';
import { useNow } from './use-now';

/** The newest security events, newest first, in words, so a person can spot what they did not do. */
export function ActivitySection({ version }: { version: number }) {
  const events = useLoaded(accountApi.listEvents, version);
  const now = useNow();

  return (
    <SettingsSection title="Security activity">
      <FormError message={events.error} />
      {events.data === undefined && !events.error && <p role="status">Loading your security activity</p>}
      {events.data?.length === 0 && <p>No security activity yet.</p>}
      {events.data && events.data.length > 0 && (
        <ol className="events">
          {events.data.map((event) => (
            <li key={event.id} className="event">
              <p className="event__what">{describeEvent(event.event)}</p>
              <p className="event__meta">
                <time dateTime={event.created_at} title={new Date(event.created_at).toLocaleString()}>
                  {relativeTime(event.created_at, now)}
                </time>
                {' · '}
                <span>IP {event.ip ?? 'unknown'}</span>
                {' · '}
                <span dir="auto">{deviceName(event.user_agent)}</span>
              </p>
            </li>
          ))}
        </ol>
      )}
    </SettingsSection>
  );
}
