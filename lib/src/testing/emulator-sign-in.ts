/** Password sign-in on an emulator, as an app does it: the user's access token, or an error saying why not. */
export async function signInOver(
  url: string,
  app: { readonly appId: string; readonly appSecret?: string },
  account: string,
  password: string,
): Promise<string> {
  const response = await fetch(`${url}/api/v3/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-authing-app-id': app.appId },
    body: JSON.stringify({
      connection: 'PASSWORD',
      passwordPayload: { account, password },
      ...(app.appSecret === undefined ? {} : { client_id: app.appId, client_secret: app.appSecret }),
    }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as { statusCode?: number; message?: string; data?: { access_token?: unknown } };
  const token = body.data?.access_token;
  if (body.statusCode !== 200 || typeof token !== 'string') {
    throw new Error(`sign-in of ${account} refused: ${body.message ?? `HTTP ${response.status}`}`);
  }
  return token;
}
