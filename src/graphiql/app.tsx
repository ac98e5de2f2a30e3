import { explorerPlugin } from "@graphiql/plugin-explorer";
import { type GraphiQLPlugin, useGraphiQL } from "@graphiql/react";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { type FormEvent, useState } from "react";
import { createRoot } from "react-dom/client";
import "graphiql/style.css";
import "@graphiql/plugin-explorer/style.css";
import "./page.css";
import { EXAMPLE_DOCUMENT } from "./example.js";

/** The page is served at the GraphQL endpoint itself: queries go to the same URL, subscriptions to its ws: twin. */
const endpoint = new URL(location.pathname, location.origin);
const subscriptions = new URL(endpoint);
subscriptions.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";

// Monaco asks for a worker per language; each is a bundle of its own, served beside this one.
(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker: (_id: string, label: string) =>
    new Worker(new URL(`./${label === "graphql" || label === "json" ? label : "editor"}.worker.js`, import.meta.url), {
      type: "module",
    }),
};

const LOGIN = `mutation SignIn($input: LoginInput!) {
  login(input: $input) { token user { name roles } userErrors { message } }
}`;

interface LoginAnswer {
  data?: {
    login: { token: string | null; user: { name: string; roles: string[] } | null; userErrors: { message: string }[] };
  };
  errors?: { message: string }[];
}

/**
 * Signs in with `login` and writes the token into the headers editor: GraphiQL sends those headers
 * with every request, and as the connection_init payload of subscriptions.
 */
function SignIn() {
  const headerEditor = useGraphiQL((state) => state.headerEditor);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [status, setStatus] = useState("");

  async function signIn(event: FormEvent) {
    event.preventDefault();
    setStatus("Signing in…");
    const answer = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: LOGIN, variables: { input: { email, password } } }),
    })
      .then((response) => response.json() as Promise<LoginAnswer>)
      .catch(
        (error: unknown): LoginAnswer => ({
          errors: [{ message: `The server could not be reached: ${String(error)}` }],
        }),
      );
    const login = answer.data?.login;
    if (login?.token && login.user) {
      headerEditor?.setValue(JSON.stringify({ authorization: `Bearer ${login.token}` }, null, 2));
      setPassword("");
      setStatus(`Signed in as ${login.user.name} (${login.user.roles.join(", ")}).`);
    } else {
      setStatus(login?.userErrors[0]?.message ?? answer.errors?.[0]?.message ?? "Sign-in failed.");
    }
  }

  return (
    <form className="chartroom-sign-in" onSubmit={signIn}>
      <div className="graphiql-doc-explorer-title">Sign in</div>
      <p>
        The token goes into the <em>Headers</em> tab below the editor, and every request carries it. Demo users sign in
        with the password <code>chartroom-demo</code>, e.g. <code>coder3@demo.chartroom.test</code>.
      </p>
      <Field label="E-mail" type="email" autoComplete="username" value={email} onChange={setEmail} />
      <Field label="Password" type="password" autoComplete="current-password" value={password} onChange={setPassword} />
      <button type="submit" className="graphiql-button">
        Sign in
      </button>
      <output>{status}</output>
    </form>
  );
}

interface FieldProps {
  label: string;
  type: "email" | "password";
  autoComplete: string;
  value: string;
  onChange(value: string): void;
}

function Field({ label, type, autoComplete, value, onChange }: FieldProps) {
  return (
    <label>
      {label}
      <input type={type} autoComplete={autoComplete} value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

function KeyIcon() {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <circle cx="8" cy="15" r="4" />
      <path d="M11 12l8-8M16 7l3 3M14 9l2 2" />
    </svg>
  );
}

const signInPlugin: GraphiQLPlugin = { title: "Sign in", icon: KeyIcon, content: SignIn };
const plugins = [signInPlugin, explorerPlugin()];
const fetcher = createGraphiQLFetcher({ url: endpoint.href, subscriptionUrl: subscriptions.href });

createRoot(document.getElementById("graphiql")!).render(
  <GraphiQL
    fetcher={fetcher}
    plugins={plugins}
    visiblePlugin={signInPlugin}
    defaultQuery={EXAMPLE_DOCUMENT}
    defaultEditorToolsVisibility="headers"
  />,
);
