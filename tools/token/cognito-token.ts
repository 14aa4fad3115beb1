import { randomBytes } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  AuthFlowType,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { z } from 'zod';
import { STACK_OUTPUTS } from '#infra/outputs';
import { CommandFailedError } from '#tools/lib/command-line';
import { OpsConfigError, type DeployedStack } from '#tools/ops/config';

/**
 * A token of a deployed stack's user pool for a test buyer: the tool creates
 * the Cognito user when it does not exist (no invitation mail), gives it a
 * new random permanent password, and signs in with it through the app client
 * buyers use. The password is never printed or kept: the next run sets
 * another one.
 */

const buyerSignInSchema = z.object({
  [STACK_OUTPUTS.userPoolId]: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d_\w+$/, 'must be a user pool id such as eu-west-1_AbC123'),
  [STACK_OUTPUTS.userPoolClientId]: z.string().min(1),
});

export interface BuyerSignIn {
  readonly userPoolId: string;
  readonly clientId: string;
  /** A user pool lives in one region, and its id starts with it. */
  readonly region: string;
}

export const buyerSignInOf = (stack: DeployedStack): BuyerSignIn => {
  const parsed = buyerSignInSchema.safeParse(stack.allOutputs);
  if (!parsed.success) {
    throw new OpsConfigError(`stack ${stack.stackName} has no valid ${STACK_OUTPUTS.userPoolId} and ${STACK_OUTPUTS.userPoolClientId} outputs: deploy it again with this version`);
  }
  const userPoolId = parsed.data[STACK_OUTPUTS.userPoolId];
  return { userPoolId, clientId: parsed.data[STACK_OUTPUTS.userPoolClientId], region: userPoolId.split('_')[0] ?? '' };
};

/** Buyers sign in with their email; a bare name gets an address of the reserved example.com domain, which no mail reaches. */
const testBuyerEmail = (buyer: string): string => (buyer.includes('@') ? buyer : `${buyer}@example.com`);

/**
 * 32 random characters and one of each class, so it meets any policy the
 * pool may have (the stack's wants 12 characters with lower and upper case,
 * a digit and a symbol).
 */
const generatePassword = (): string => `${randomBytes(24).toString('base64url')}aZ7!`;

export interface CognitoToken {
  readonly token: string;
  readonly email: string;
  /** Whether this run created the user. */
  readonly created: boolean;
}

const createIfMissing = async (client: CognitoIdentityProviderClient, userPoolId: string, email: string): Promise<boolean> => {
  try {
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: email,
        // No invitation: the password is set just below, and the address may reach nobody.
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof UsernameExistsException) return false;
    throw error;
  }
};

/**
 * Signs the test buyer in and returns the access token. The API's JWT
 * authorizer has the app client id as its audience: it checks `aud` of an id
 * token, or `client_id` of an access token (which has no `aud`), so both
 * pass; the access token is the one meant for calling an API.
 */
export const mintCognitoToken = async (
  client: CognitoIdentityProviderClient,
  signIn: BuyerSignIn,
  buyer: string,
  password: string = generatePassword(),
): Promise<CognitoToken> => {
  const email = testBuyerEmail(buyer);
  const created = await createIfMissing(client, signIn.userPoolId, email);
  await client.send(new AdminSetUserPasswordCommand({ UserPoolId: signIn.userPoolId, Username: email, Password: password, Permanent: true }));
  const signedIn = await client.send(
    new InitiateAuthCommand({
      ClientId: signIn.clientId,
      // The flow the stack's app client allows (ALLOW_USER_PASSWORD_AUTH), so signing in needs no admin permission.
      AuthFlow: AuthFlowType.USER_PASSWORD_AUTH,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const token = signedIn.AuthenticationResult?.AccessToken;
  if (!token) {
    throw new CommandFailedError(`Cognito asked ${email} for ${signedIn.ChallengeName ?? 'another step'} instead of signing in: use a test buyer without MFA`);
  }
  return { token, email, created };
};
