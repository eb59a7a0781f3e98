import { main } from "./main.js";

/** Runs the CLI in-process with its output captured (tests, documentation examples). */
export async function runCaptured(
  argv: string[],
  options: { isTTY?: boolean; env?: Record<string, string>; stdin?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    isTTY: options.isTTY ?? false,
    env: options.env ?? {},
    ...(options.stdin !== undefined ? { readStdin: async () => options.stdin as string } : {}),
  });
  return { code, stdout, stderr };
}
