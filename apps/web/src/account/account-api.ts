import type { SessionJson } from '@todo/shared/auth-schemas';
import { apiRequest } from '../api/client';
import type { User } from '../auth/auth-api';

export type Session = SessionJson;

/** One row of the security activity: what happened, when, and from where. */
export interface AuthEvent {
  id: number;
  event: string;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
}

/** How many events the settings page shows. */
export const EVENTS_SHOWN = 20;

export async function updateName(name: string): Promise<User> {
  return (await apiRequest<{ user: User }>('PATCH', '/api/auth/me', { body: { name } })).user;
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await apiRequest('PUT', '/api/auth/password', {
    body: { current_password: currentPassword, new_password: newPassword },
  });
}

export function listSessions(): Promise<Session[]> {
  return apiRequest<Session[]>('GET', '/api/auth/sessions');
}

export async function revokeSession(id: string): Promise<void> {
  await apiRequest('DELETE', `/api/auth/sessions/${encodeURIComponent(id)}`);
}

export async function signOutOtherSessions(): Promise<number> {
  return (await apiRequest<{ revoked: number }>('POST', '/api/auth/signout-all', { body: { keep_current: true } }))
    .revoked;
}

export function listEvents(): Promise<AuthEvent[]> {
  return apiRequest<AuthEvent[]>('GET', `/api/auth/events?limit=${EVENTS_SHOWN}`);
}

export async function deleteAccount(password: string): Promise<void> {
  await apiRequest('DELETE', '/api/auth/account', { body: { password } });
}
