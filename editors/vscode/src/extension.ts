// Starts `plimsoll lsp` for Dockerfiles and Compose files and restarts it when its command changes.

import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

/** Compose file names, as plimsoll recognises them (src/workspace.rs): `compose.yaml`, `docker-compose.yml`,
 * `compose.prod.yaml`, `docker-compose.override.yml`, `kafka-compose.yml`, in any case. */
const composeNames = "**/{compose,docker-compose,*-compose,compose.*,docker-compose.*}.{yml,yaml}";
const composeName = /^(compose|docker-compose|.*-compose|compose\..+|docker-compose\..+)\.ya?ml$/i;

/** Whether plimsoll checks this document: a Dockerfile, or a Compose file by its language or its name. */
function isPlimsollDocument(document: vscode.TextDocument): boolean {
  if (document.uri.scheme !== "file" && document.uri.scheme !== "untitled") {
    return false;
  }
  if (document.languageId === "dockerfile" || document.languageId === "dockercompose") {
    return true;
  }
  return document.languageId === "yaml" && composeName.test(path.basename(document.uri.fsPath));
}

/** The server's executable: `plimsoll.path` when set, else the binary this extension carries (the
 * platform-specific .vsix files have one in `bundled/`), else `plimsoll` on PATH. */
function serverCommand(context: vscode.ExtensionContext): string {
  const configured = vscode.workspace.getConfiguration("plimsoll").get<string>("path", "").trim();
  if (configured) {
    return configured;
  }
  const bundled = path.join(context.extensionPath, "bundled", process.platform === "win32" ? "plimsoll.exe" : "plimsoll");
  if (!fs.existsSync(bundled)) {
    return "plimsoll";
  }
  if (process.platform !== "win32") {
    try {
      fs.accessSync(bundled, fs.constants.X_OK);
    } catch {
      // An unpacked .vsix may lose the executable bit.
      fs.chmodSync(bundled, 0o755);
    }
  }
  return bundled;
}

/** The settings the server reads (`initializationOptions` and `workspace/didChangeConfiguration`). */
function serverSettings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration("plimsoll");
  const configPath = config.get<string>("configPath") || undefined;
  const baseline = config.get<string>("baseline") || undefined;
  return {
    configPath,
    baseline,
    select: config.get<string[] | null>("select") ?? undefined,
    extendSelect: config.get<string[]>("extendSelect", []),
    ignore: config.get<string[]>("ignore", []),
  };
}

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const config = vscode.workspace.getConfiguration("plimsoll");
  const command = serverCommand(context);
  const args = ["lsp", ...config.get<string[]>("args", [])];
  const serverOptions: ServerOptions = {
    run: { command, args, transport: TransportKind.stdio },
    debug: { command, args, transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "dockerfile" },
      { scheme: "untitled", language: "dockerfile" },
      { scheme: "file", language: "dockercompose" },
      { scheme: "untitled", language: "dockercompose" },
      { scheme: "file", language: "yaml", pattern: composeNames },
    ],
    initializationOptions: { plimsoll: serverSettings() },
    synchronize: {
      // The server registers its own file watchers; this covers clients that do not allow that.
      fileEvents: vscode.workspace.createFileSystemWatcher(
        "**/{plimsoll.toml,.plimsoll.toml,.hadolint.yaml,.hadolint.yml}",
      ),
    },
  };
  const created = new LanguageClient("plimsoll", "plimsoll", serverOptions, clientOptions);
  created.outputChannel.appendLine(`plimsoll: starting ${command} ${args.join(" ")}`);
  return created;
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  client = createClient(context);
  try {
    await client.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(
      `plimsoll: cannot start the language server (${message}). ` +
        "Install plimsoll (`pip install plimsoll-lint`, a release binary, or `cargo install plimsoll`) or set `plimsoll.path`.",
    );
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!client) {
        return;
      }
      if (event.affectsConfiguration("plimsoll.path") || event.affectsConfiguration("plimsoll.args")) {
        await client.stop();
        await startClient(context);
      } else if (event.affectsConfiguration("plimsoll")) {
        await client.sendNotification("workspace/didChangeConfiguration", {
          settings: { plimsoll: serverSettings() },
        });
      }
    }),
    vscode.commands.registerCommand("plimsoll.restartServer", async () => {
      if (client) {
        await client.stop();
      }
      await startClient(context);
    }),
  );
  // The extension activates for every YAML file (a `*-compose.yml` has no language of its own); the server starts
  // with the first Dockerfile or Compose file.
  if (vscode.workspace.textDocuments.some(isPlimsollDocument)) {
    await startClient(context);
    return;
  }
  const waiting = vscode.workspace.onDidOpenTextDocument(async (document) => {
    if (!client && isPlimsollDocument(document)) {
      waiting.dispose();
      await startClient(context);
    }
  });
  context.subscriptions.push(waiting);
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
    client = undefined;
  }
}
