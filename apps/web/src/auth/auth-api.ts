import { apiRequest } from '../api/client';

export interface User {
  id: string;
  email: string;
  name: string;
  created_at: string;
}

interface AuthResponse {
  user: User;
}

// The response also carries the token for API clients; the page keeps only the user.
export async function signIn(email: string, password: string): Promise<User> {
  return (await apiRequest<AuthResponse>('POST', '/api/auth/signin', { body: { email, password } })).user;
}

export async function signUp(name: string, email: string, password: string): Promise<User> {
  return (await apiRequest<AuthResponse>('POST', '/api/auth/signup', { body: { name, email, password } })).user;
}

export async function signOut(): Promise<void> {
  await apiRequest('POST', '/api/auth/signout', { quietUnauthorized: true });
}

export async function fetchCurrentUser(): Promise<User> {
  return (await apiRequest<AuthResponse>('GET', '/api/auth/me', { quietUnauthorized: true })).user;
}
