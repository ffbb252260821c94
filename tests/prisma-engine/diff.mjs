// Prisma's own migration engine, offline: the SQL `prisma migrate diff --from-empty
// --to-schema <schema> --script` prints, for dbdrift's Prisma oracle tests.
//
// Reads one JSON request on stdin:
//   {"provider": "postgresql" | "sqlite", "files": [{"path": "schema.prisma", "content": "..."}]}
// and prints the engine's SQL on stdout.  Exits non-zero, with the reason on stderr, on any
// failure -- an engine error, a panic, a query the stub adapter cannot answer, and empty
// output (an engine that dies silently returns nothing: that must never pass for "no tables").
//
// The stock CLI cannot run offline (it downloads a native engine first), so this instantiates
// the WebAssembly engine the `prisma` package ships (build/schema_engine_bg.wasm) by hand, with
// the wasm-bindgen glue of @prisma/schema-engine-wasm as its `./schema_engine_bg.js` import
// (Node 20 cannot `import` a .wasm file).  The engine talks to the database only through a
// driver adapter; diffing from "empty" to a datamodel needs none but the one start-up query
// PostgreSQL connectors send, which the stub below answers as a PostgreSQL 15 server would.

import { readFileSync } from "node:fs";

// The datasource provider -> the driver adapter's provider, for the providers the wasm engine
// accepts.  It panics on "mysql" ("Unsupported adapter provider"): refuse that up front.
const ADAPTER_PROVIDERS = { postgresql: "postgres", sqlite: "sqlite" };

// The query every PostgreSQL connector sends on start-up, and the answer of a PostgreSQL 15.
const VERSION_QUERY = "SELECT EXISTS(SELECT 1 FROM pg_namespace WHERE nspname = $1), version()";
const VERSION_ROW = [true, "PostgreSQL 15.0 on x86_64-pc-linux-gnu", 150000];
// @prisma/driver-adapter-utils ColumnTypeEnum: Boolean = 5, Text = 7, Int32 = 0.
const VERSION_TYPES = [5, 7, 0];

const problems = [];
let panicMessage = null;

function fail(message) {
  process.stderr.write(`prisma-engine: ${message}\n`);
  for (const problem of problems) process.stderr.write(`prisma-engine: ${problem}\n`);
  if (panicMessage) process.stderr.write(`prisma-engine: engine panicked: ${panicMessage}\n`);
  process.exit(1);
}

process.on("uncaughtException", (err) => fail(`uncaught: ${err?.stack ?? err}`));
process.on("unhandledRejection", (err) => fail(`unhandled rejection: ${err?.stack ?? err}`));

// The glue reports a Rust panic's message here before the wasm traps.
globalThis.PRISMA_WASM_PANIC_REGISTRY = {
  set_message(message) {
    panicMessage = message;
  },
};

function readRequest() {
  let request;
  try {
    request = JSON.parse(readFileSync(0, "utf8"));
  } catch (err) {
    fail(`the request on stdin is not JSON: ${err.message}`);
  }
  const adapterProvider = ADAPTER_PROVIDERS[request?.provider];
  if (!adapterProvider) {
    fail(
      `provider ${JSON.stringify(request?.provider)} is not one the WebAssembly schema engine ` +
        `runs (${Object.keys(ADAPTER_PROVIDERS).join(", ")})`,
    );
  }
  const files = request.files;
  if (!Array.isArray(files) || files.length === 0) fail("the request has no schema files");
  for (const file of files) {
    if (typeof file?.path !== "string" || typeof file?.content !== "string") {
      fail("each file needs a string `path` and a string `content`");
    }
  }
  return { adapterProvider, files };
}

const ok = (value) => ({ ok: true, value });

// Whatever else the engine asks is a surprise: record it and refuse, so that the run fails.
function refuse(what) {
  problems.push(`the stub driver adapter was asked to ${what}`);
  return Promise.reject(new Error(`the oracle's stub adapter cannot ${what}`));
}

// A driver adapter in the shape the engine expects from a bound adapter (every call returns
// {ok, value}), answering only the start-up version query.
function stubAdapter(provider) {
  const connection = {
    provider,
    adapterName: "dbdrift-oracle-stub",
    async queryRaw(query) {
      if (provider === "postgres" && query?.sql?.startsWith(VERSION_QUERY)) {
        return ok({
          columnNames: ["exists", "version", "numeric_version"],
          columnTypes: VERSION_TYPES,
          rows: [VERSION_ROW],
        });
      }
      return refuse(`run the query ${JSON.stringify(query?.sql)}`);
    },
    executeRaw: (query) => refuse(`execute ${JSON.stringify(query?.sql)}`),
    executeScript: (script) => refuse(`execute the script ${JSON.stringify(script)}`),
    startTransaction: () => refuse("start a transaction"),
    getConnectionInfo: () => ok({ schemaName: "public", supportsRelationJoins: true }),
    dispose: async () => ok(undefined),
  };
  return {
    provider,
    adapterName: "dbdrift-oracle-stub",
    connect: async () => ok(connection),
    connectToShadowDb: () => refuse("connect to a shadow database"),
  };
}

async function loadEngine() {
  const glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  const wasmPath = new URL("./node_modules/prisma/build/schema_engine_bg.wasm", import.meta.url);
  const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), {
    "./schema_engine_bg.js": glue,
  });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return glue.SchemaEngine;
}

// The engine's log lines (JSON); the warnings and errors are shown when the run fails.
function onLog(line) {
  try {
    const entry = JSON.parse(line);
    if (entry.level === "ERROR" || entry.level === "WARN") {
      problems.push(`engine ${entry.level}: ${JSON.stringify(entry.fields)}`);
    }
  } catch {
    problems.push(`engine log: ${line}`);
  }
}

async function main() {
  const { adapterProvider, files } = readRequest();
  const SchemaEngine = await loadEngine();
  let result;
  try {
    const engine = await SchemaEngine.new(
      { datamodels: files.map((f) => [f.path, f.content]) },
      onLog,
      stubAdapter(adapterProvider),
    );
    result = await engine.diff({
      from: { tag: "empty" },
      to: { tag: "schemaDatamodel", files: files.map((f) => ({ path: f.path, content: f.content })) },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
  } catch (err) {
    fail(`the engine failed: ${err?.message ?? err}`);
  }
  if (problems.some((p) => p.startsWith("the stub"))) fail("the engine needed a real database");
  if (result?.exitCode !== 0) fail(`the engine's diff exited with ${result?.exitCode}`);
  const sql = result?.stdout ?? "";
  if (sql.trim() === "") fail("the engine returned no SQL (an engine that died silently?)");
  process.stdout.write(sql, () => process.exit(0));
}

await main();
