import { type ParseArgsConfig, parseArgs } from "node:util";
import { InputError, suggest } from "../errors.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/**
 * node:util parseArgs in strict mode, with its TypeErrors turned into InputErrors that name the
 * option and list the valid ones (with a spelling suggestion for a mistyped flag).
 */
export function parseCommandArgs(
  command: string,
  args: string[],
  options: Options,
  allowPositionals = false,
): ParsedArgs {
  const parse = () =>
    parseArgs({
      args: joinNegativeValues(args, options),
      options,
      allowPositionals,
      strict: true,
      tokens: true,
    });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (e) {
    throw toInputError(command, args, options, e);
  }
  refuseRepeatedValues(parsed.tokens, options);
  return { values: parsed.values as ParsedArgs["values"], positionals: parsed.positionals };
}

/**
 * parseArgs keeps the last of two values of one option (`--chips 8 --chips 16` searched 16 alone):
 * an option that takes one value and is given two different ones is refused instead.
 */
function refuseRepeatedValues(
  tokens: readonly { kind: string; name?: string; value?: string }[],
  options: Options,
) {
  const seen = new Map<string, string>();
  for (const t of tokens) {
    if (t.kind !== "option" || t.name === undefined || t.value === undefined) continue;
    if (options[t.name]?.multiple) continue;
    const before = seen.get(t.name);
    if (before !== undefined && before !== t.value) {
      throw new InputError({
        field: `--${t.name}`,
        value: `${before} and then ${t.value}`,
        allowed: "one value: the option is given twice, and only one of the two can hold",
      });
    }
    seen.set(t.name, t.value);
  }
}

/** "-5", "-1.5", "-2k", "-1e3": a negative number rather than a flag. */
const NEGATIVE_NUMBER = /^-(\d|\.\d)[\d_.]*(e[+-]?\d+)?[a-z]*$/i;

/**
 * parseArgs reads `--tokens -5` as --tokens with no value followed by a flag "-5", so the user is
 * told "--tokens needs a value". A negative number right after an option that takes a value is that
 * value (as in `--tokens=-5`), and the command's own check then says what is allowed.
 */
export function joinNegativeValues(args: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") return [...out, ...args.slice(i)];
    const next = args[i + 1];
    const name = arg.startsWith("--") && !arg.includes("=") ? arg.slice(2) : undefined;
    if (name && options[name]?.type === "string" && next !== undefined && NEGATIVE_NUMBER.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function flagNames(options: Options): string[] {
  return Object.keys(options).map((k) => `--${k}`);
}

function toInputError(command: string, args: string[], options: Options, e: unknown): unknown {
  const code = (e as { code?: string }).code ?? "";
  const msg = (e as Error).message ?? String(e);
  const flags = flagNames(options);
  const allowed = `one of ${flags.join(", ")} (see trainplan ${command} --help)`;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const bad = /'([^']+)'/.exec(msg)?.[1] ?? args.find((a) => a.startsWith("-")) ?? "";
    const name = bad.replace(/=.*$/, "");
    return new InputError({
      field: `option of ${command}`,
      value: name,
      allowed,
      suggestion: suggest(name, flags),
    });
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const flag = /--([A-Za-z0-9-]+)/.exec(msg)?.[0] ?? "option";
    const takesValue = options[flag.slice(2)]?.type === "string";
    return new InputError({
      field: `option ${flag} of ${command}`,
      value: args.find((a) => a === flag || a.startsWith(`${flag}=`)) ?? flag,
      allowed: takesValue
        ? `${flag} needs a value, as in ${flag} VALUE or ${flag}=VALUE`
        : `${flag} takes no value`,
    });
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    const bad = /'([^']+)'/.exec(msg)?.[1] ?? "";
    return new InputError({
      field: `arguments of ${command}`,
      value: bad,
      allowed: flags.length > 0 ? `no positional arguments; options are ${flags.join(", ")}` : "no arguments",
    });
  }
  return e;
}

/** The one FILE a command takes at most (validate, calibrate): a second would be left unread. */
export function optionalFile(command: string, positionals: readonly string[]): string | undefined {
  if (positionals.length <= 1) return positionals[0];
  throw new InputError({
    field: "FILE",
    value: positionals.join(" "),
    allowed: `at most one file (a list of cases in YAML or JSON); see trainplan ${command} --help`,
  });
}
