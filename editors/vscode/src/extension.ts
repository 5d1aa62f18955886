// Starts `plimsoll lsp` for Dockerfiles and Compose files and restarts it when its command changes.

import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

/** The settings the server reads (`initializationOptions` and `workspace/didChangeConfiguration`). */
function serverSettings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration("plimsoll");
  const configPath = config.get<string>("configPath") || undefined;
  return {
    configPath,
    select: config.get<string[] | null>("select") ?? undefined,
    extendSelect: config.get<string[]>("extendSelect", []),
    ignore: config.get<string[]>("ignore", []),
  };
}

function createClient(): LanguageClient {
  const config = vscode.workspace.getConfiguration("plimsoll");
  const command = config.get<string>("path", "plimsoll") || "plimsoll";
  const args = ["lsp", ...config.get<string[]>("args", [])];
  const serverOptions: ServerOptions = {
    run: { command, args, transport: TransportKind.stdio },
    debug: { command, args, transport: TransportKind.stdio },
  };
  const composeNames = "**/{compose,docker-compose,*-compose,compose.*,docker-compose.*}.{yml,yaml}";
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
  return new LanguageClient("plimsoll", "plimsoll", serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  client = createClient();
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!client) {
        return;
      }
      if (event.affectsConfiguration("plimsoll.path") || event.affectsConfiguration("plimsoll.args")) {
        await client.stop();
        client = createClient();
        await client.start();
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
      client = createClient();
      await client.start();
    }),
  );
  try {
    await client.start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(
      `plimsoll: cannot start the language server (${message}). ` +
        "Install plimsoll (`cargo install plimsoll`) or set `plimsoll.path`.",
    );
  }
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
    client = undefined;
  }
}
