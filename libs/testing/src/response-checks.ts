import { gatewayContract, hawkbitContract, type ResponseContract } from './response-contract';

let contracts: Promise<ResponseContract[]> | undefined;

/**
 * With `FLEETWAVE_CHECK_RESPONSES=1` (the e2e tier sets it), every Management API response the
 * client receives must fit the gateway's OpenAPI document and, where it is on this machine,
 * hawkBit's: a misfit throws, failing the test that made the call.
 */
export async function checkResponse(
  gatewayUrl: string,
  method: string,
  pathAndQuery: string,
  status: number,
  body: unknown,
): Promise<void> {
  if (process.env.FLEETWAVE_CHECK_RESPONSES !== '1') return;
  contracts ??= gatewayContract(gatewayUrl).then((own) => [own, ...[hawkbitContract()].filter((c) => c !== undefined)]);
  const path = pathAndQuery.split('?')[0];
  const violations = (await contracts).flatMap((contract) => contract.check(method, path, status, body));
  if (violations.length > 0) {
    throw new Error(
      `response does not fit the API document:\n${violations.join('\n')}\nbody: ${JSON.stringify(body).slice(0, 500)}`,
    );
  }
}
