import { useState } from 'react';
import { Link, NavLink } from 'react-router';
import type { User } from '../auth/auth-api';
import { useAuth } from '../auth/auth-context';
import { Button } from '../components/button';
import { reasonOf } from '../api/reason';
import { HOME_PATH, SETTINGS_PATH } from './paths';

interface TopBarProps {
  user: User;
  /** Where the page shows why signing out failed (the server could not be reached, say). */
  onSignOutError: (message: string) => void;
}

/** The bar over every signed-in page: the way home, who is signed in, their account, and signing out. */
export function TopBar({ user, onSignOutError }: TopBarProps) {
  const { signOut } = useAuth();
  const [signingOut, setSigningOut] = useState(false);

  // The page's guard sends a signed-out visitor to /auth/signin once the state changes.
  async function handleSignOut() {
    setSigningOut(true);
    try {
      await signOut();
    } catch (error) {
      onSignOutError(`Could not sign out. ${reasonOf(error)}`);
      setSigningOut(false);
    }
  }

  return (
    <header className="topbar">
      <p className="brand">
        <Link to={HOME_PATH}>✓ Todo</Link>
      </p>
      <div className="topbar__user">
        <span className="topbar__name" dir="auto">
          {user.name}
        </span>
        <NavLink to={SETTINGS_PATH} className="topbar__link">
          Account
        </NavLink>
        <Button variant="secondary" onClick={handleSignOut} busy={signingOut} busyLabel="Signing out…">
          Sign out
        </Button>
      </div>
    </header>
  );
}
