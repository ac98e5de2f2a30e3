/*
 * A biller's screen, as a front-end would write it against Chartroom: each operation is written
 * once with `graphql()`, and GraphQL Code Generator gives it the types of its variables and of its
 * answer, from schema/schema.graphql. `tsc` then refuses a misspelt field or a wrong variable.
 */
import { graphql } from "./gql";
import type { TypedDocumentString } from "./gql/graphql";

const ClaimsToWork = graphql(`
  query ClaimsToWork($first: Int!) {
    claims(first: $first, filter: { status: [NEEDS_REVIEW, DRAFT] }) {
      edges {
        node {
          id
          status
          version
          patientControlNumber
          totalCharge
          payer { name }
          issues { code severity message field }
        }
      }
    }
  }
`);

const MarkReady = graphql(`
  mutation MarkReady($claimId: ID!, $version: Int!) {
    markClaimReady(input: { claimId: $claimId, expectedVersion: $version }) {
      claim { id status version }
      userErrors { code field message }
    }
  }
`);

const WorkEvents = graphql(`
  subscription WorkEvents($after: String) {
    workItemEvents(after: $after) { cursor kind at item { id status queue { name kind leaseMinutes } } }
  }
`);

/** POSTs one typed operation; its answer has the operation's generated type. */
async function execute<Result, Variables>(
  url: string,
  token: string,
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const body = (await response.json()) as { data?: Result; errors?: { message: string }[] };
  if (!body.data) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
  return body.data;
}

/** Marks every clean claim READY: the compiler knows `status` is a ClaimStatus and `issues` a list. */
export async function markCleanClaimsReady(url: string, token: string): Promise<string[]> {
  const { claims } = await execute(url, token, ClaimsToWork, { first: 50 });
  const marked: string[] = [];
  for (const { node } of claims.edges) {
    if (node.status !== "DRAFT" || node.issues.some((edit) => edit.severity === "ERROR")) continue;
    const { markClaimReady } = await execute(url, token, MarkReady, { claimId: node.id, version: node.version });
    if (markClaimReady.userErrors.length === 0 && markClaimReady.claim) marked.push(markClaimReady.claim.id);
  }
  return marked;
}

/** A subscription's document is typed too; a graphql-ws client sends `WorkEvents.toString()`. */
export const workEventsQuery: string = WorkEvents.toString();
