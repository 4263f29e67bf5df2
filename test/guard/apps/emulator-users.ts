/*
 * Entity users created through the emulator's API with the partner token, as a partner would. The
 * demo users' ids are all digits; a created user's id has letters, as Monite's do, so letter case
 * can be put to the test.
 */
import { DEMO_CLIENT, DEMO_ROLES } from 'monite-emulator';
import { DEFAULT_MONITE_API_VERSION } from 'nestjs-monite-auth';

/** A new admin of `entityId`; resolves to its id. */
export async function createEntityUser(apiUrl: string, entityId: string, login: string): Promise<string> {
  const call = async (path: string, body: unknown, token?: string) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-monite-version': DEFAULT_MONITE_API_VERSION,
        ...(token !== undefined ? { authorization: `Bearer ${token}`, 'x-monite-entity-id': entityId } : {}),
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status}`);
    return (await response.json()) as Record<string, string>;
  };
  const { access_token } = await call('/auth/token', {
    grant_type: 'client_credentials',
    client_id: DEMO_CLIENT.clientId,
    client_secret: DEMO_CLIENT.clientSecret,
  });
  const user = await call(
    '/entity_users',
    { first_name: 'Casey', login, role_id: DEMO_ROLES.admin.id },
    access_token,
  );
  return user.id;
}
