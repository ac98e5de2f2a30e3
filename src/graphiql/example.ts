/** What a new tab of the page opens with: the first steps of a coder's screen, ready to run. */
export const EXAMPLE_DOCUMENT = `# Chartroom's GraphQL API. Sign in with the key on the left (the token lands in
# Headers below), then pick an operation with the ▶ button (or Ctrl-Enter runs
# the one under the cursor).
# The Docs and Explorer panels on the left show every type and field.

query Me {
  viewer { name roles credentials }
}

# Codes ranked as a coder searches: the exact code, then prefixes, then descriptions.
query SearchCodes {
  searchCodes(system: ICD10CM, query: "e119", first: 5) { code longDescription billable }
}

query MyQueues {
  workQueues { id name kind stats { ready assigned onHold overdue } }
}

# Live: new and changed work in the queues you may work. Runs until you stop it.
subscription WorkItemEvents {
  workItemEvents {
    cursor type at status
    item { id status queue { name } }
  }
}
`;
