import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { errorCatalogue } from '@todo/shared/errors';
import { ApiError, setUnauthorizedHandler } from '../api/client';
import { dropAllDrafts, setDraftOwner } from '../app/drafts';
import * as authApi from './auth-api';
import type { User } from './auth-api';
import { announceSignOut, listenForSignOut } from './session-channel';

export type AuthState =
  | { status: 'loading' }
  | {
      status: 'signed-out';
      message?: string;
      /** True right after the person chose to sign out. */
      byChoice?: boolean;
      /** True right after the person deleted their account: they are shown sign-up, not sign-in. */
      accountDeleted?: boolean;
    }
  | { status: 'signed-in'; user: User };

interface AuthContextValue {
  state: AuthState;
  signIn: (email: string, password: string) => Promise<void>;
  signUp: (name: string, email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** The signed-in person's details changed on the server (a new name): every page shows them at once. */
  updateUser: (user: User) => void;
  /** The server deleted the account and its sessions: nothing of it is kept here either. */
  accountDeleted: () => void;
}

export const ACCOUNT_DELETED_MESSAGE = 'Your account has been deleted';

const AuthContext = createContext<AuthContextValue | undefined>(undefined);

// What a person is told when their session ends under them: the API's own sentences.
function sessionEndedMessage(error: ApiError): string {
  return (error.code === 'token_expired' ? errorCatalogue.token_expired : errorCatalogue.auth_required).message;
}

// Drafts belong to whoever is signed in, so the owner is set before their pages render.
function signedIn(user: User): AuthState {
  setDraftOwner(user.id);
  return { status: 'signed-in', user };
}

// A deliberate sign-out, here or in another tab: nothing typed is kept for the next person.
function signedOutByChoice(): AuthState {
  dropAllDrafts();
  return { status: 'signed-out', byChoice: true };
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });

  useEffect(() => {
    setUnauthorizedHandler((error) => setState({ status: 'signed-out', message: sessionEndedMessage(error) }));
    let cancelled = false;
    authApi.fetchCurrentUser().then(
      (user) => !cancelled && setState(signedIn(user)),
      (error: ApiError) => {
        if (cancelled) return;
        // No cookie at all is an ordinary first visit; a dead one deserves a sentence.
        const ended = error.code === 'token_expired' || error.code === 'invalid_token';
        setState(ended ? { status: 'signed-out', message: sessionEndedMessage(error) } : { status: 'signed-out' });
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  // A tab already signed out keeps its own reason (a deleted account, say): the message can also come
  // back to the tab that sent it, from its own listening channel.
  useEffect(
    () =>
      listenForSignOut(() => setState((current) => (current.status === 'signed-out' ? current : signedOutByChoice()))),
    [],
  );

  // A tab left in the background may have lost its session meanwhile (signed out elsewhere, expired):
  // it asks again when the person comes back to it, rather than on their next change.
  const signedInNow = state.status === 'signed-in';
  useEffect(() => {
    if (!signedInNow) return;
    const recheck = () => {
      if (document.visibilityState !== 'visible') return;
      authApi.fetchCurrentUser().catch((error: unknown) => {
        if (!(error instanceof ApiError) || error.status !== 401) return; // offline: nothing is known yet
        const ended: AuthState = { status: 'signed-out', message: sessionEndedMessage(error) };
        setState((current) => (current.status === 'signed-in' ? ended : current));
      });
    };
    document.addEventListener('visibilitychange', recheck);
    return () => document.removeEventListener('visibilitychange', recheck);
  }, [signedInNow]);

  const signIn = useCallback(async (email: string, password: string) => {
    setState(signedIn(await authApi.signIn(email, password)));
  }, []);

  const signUp = useCallback(async (name: string, email: string, password: string) => {
    setState(signedIn(await authApi.signUp(name, email, password)));
  }, []);

  // Only once the server has ended the session (and cleared its cookie) is the person signed out; if
  // it could not be reached, they stay signed in and are told, rather than seeming signed out.
  const signOut = useCallback(async () => {
    await authApi.signOut();
    announceSignOut();
    setState(signedOutByChoice());
  }, []);

  const updateUser = useCallback((user: User) => {
    setState((current) => (current.status === 'signed-in' ? { status: 'signed-in', user } : current));
  }, []);

  const accountDeleted = useCallback(() => {
    announceSignOut();
    dropAllDrafts();
    setState({ status: 'signed-out', byChoice: true, accountDeleted: true, message: ACCOUNT_DELETED_MESSAGE });
  }, []);

  const value = useMemo(
    () => ({ state, signIn, signUp, signOut, updateUser, accountDeleted }),
    [state, signIn, signUp, signOut, updateUser, accountDeleted],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
