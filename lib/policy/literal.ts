/**
 * `jsonencode(...)` of literal values, as cdktf's `Fn.jsonencode` and hand-written Terraform
 * JSON give a policy: `${jsonencode({"Version" = "2012-10-17", "Statement" = [...]})}`.
 *
 * The argument is read as Terraform would evaluate it when every value is a literal: objects
 * (`{"key" = value}` or `{key: value}`), tuples, strings (with their escapes), numbers, `true`,
 * `false` and `null`. A reference (`aws_iam_role.app.arn`) or an interpolation inside a string
 * (`"arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"`) stays a `${...}`
 * string, as it would in the JSON cdktf synthesizes for the same value. Anything else (a
 * function call, an operator, a `for` expression) cannot be read before apply.
 */
import { interpolationTokens, type Token } from "../hcl/expression";

/**
 * The JSON text `value` (a `${jsonencode(...)}` template) encodes, or undefined when `value`
 * is not a jsonencode of literal values.
 */
export function jsonencodeText(value: string): string | undefined {
  let tokens: Token[] | undefined;
  try {
    tokens = interpolationTokens(value);
  } catch {
    return undefined;
  }
  // The argument must be an object or tuple written out: `jsonencode(local.policy)` is known only at apply time.
  if (
    tokens?.[0]?.text !== "jsonencode" ||
    tokens[1]?.type !== "oparen" ||
    !["obrace", "obrack"].includes(tokens[2]?.type ?? "") ||
    tokens[tokens.length - 1].type !== "cparen"
  ) {
    return undefined;
  }
  const reader = new LiteralReader(tokens.slice(2, -1));
  try {
    const literal = reader.value();
    if (!reader.done) return undefined;
    return JSON.stringify(literal);
  } catch {
    return undefined;
  }
}

type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };

class LiteralReader {
  private pos = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  get done(): boolean {
    return this.pos === this.tokens.length;
  }

  value(): Literal {
    const token = this.next();
    switch (token.type) {
      case "obrace":
        return this.object();
      case "obrack":
        return this.tuple();
      case "oquote":
        return this.string();
      case "number":
        return Number(token.text);
      case "minus": {
        const number = this.next();
        if (number.type !== "number") throw new Error("not a literal");
        return -Number(number.text);
      }
      case "ident":
        if (token.text === "true") return true;
        if (token.text === "false") return false;
        if (token.text === "null") return null;
        return this.reference(token.text);
      default:
        throw new Error("not a literal");
    }
  }

  private next(): Token {
    const token = this.tokens[this.pos];
    if (!token) throw new Error("unexpected end");
    this.pos += 1;
    return token;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private object(): { [key: string]: Literal } {
    const result: { [key: string]: Literal } = {};
    for (;;) {
      if (this.peek()?.type === "cbrace") {
        this.pos += 1;
        return result;
      }
      const keyToken = this.next();
      const key = keyToken.type === "oquote" ? this.string() : keyToken.type === "ident" ? keyToken.text : undefined;
      if (typeof key !== "string") throw new Error("not a literal key");
      const separator = this.next();
      if (separator.type !== "equal" && separator.type !== "colon") throw new Error("not an object");
      result[key] = this.value();
      if (this.peek()?.type === "comma") this.pos += 1;
    }
  }

  private tuple(): Literal[] {
    const result: Literal[] = [];
    for (;;) {
      if (this.peek()?.type === "cbrack") {
        this.pos += 1;
        return result;
      }
      result.push(this.value());
      if (this.peek()?.type === "comma") this.pos += 1;
    }
  }

  /** The rest of a quoted string after its `"`: literal text unescaped, sequences as written. */
  private string(): string {
    let text = "";
    for (;;) {
      const token = this.next();
      if (token.type === "cquote") return text;
      if (token.type === "quotedLit") {
        text += unescapeHcl(token.text);
      } else if (token.type === "interp" || token.type === "control") {
        let depth = 1;
        let sequence = token.text;
        while (depth > 0) {
          const inner = this.next();
          if (inner.type === "interp" || inner.type === "control") depth += 1;
          if (inner.type === "seqEnd") depth -= 1;
          sequence += inner.text;
        }
        text += sequence;
      } else {
        throw new Error("not a string");
      }
    }
  }

  /** A traversal (`aws_iam_role.app.arn`, `local.roles[0]`) as the `${...}` string that stands for it. */
  private reference(root: string): string {
    let text = root;
    for (;;) {
      const token = this.peek();
      if (token?.type === "dot") {
        const name = this.tokens[this.pos + 1];
        if (name?.type !== "ident" && name?.type !== "number") throw new Error("not a traversal");
        text += `.${name.text}`;
        this.pos += 2;
      } else if (token?.type === "obrack") {
        const index = this.tokens[this.pos + 1];
        if (index?.type !== "number" || this.tokens[this.pos + 2]?.type !== "cbrack")
          throw new Error("not a traversal");
        text += `[${index.text}]`;
        this.pos += 3;
      } else if (token?.type === "oparen") {
        throw new Error("a function call is not a literal");
      } else {
        return `\${${text}}`;
      }
    }
  }
}

const ESCAPES: Readonly<Record<string, string>> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

/** HCL's string escapes (`\"`, `\\`, `\n`, `\uNNNN`...), and `$${` / `%%{` for a literal `${` / `%{`. */
function unescapeHcl(text: string): string {
  return text
    .replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_, sequence: string) =>
      sequence.length > 1 ? String.fromCodePoint(parseInt(sequence.slice(1), 16)) : (ESCAPES[sequence] ?? sequence),
    )
    .replace(/\$\$\{/g, "${")
    .replace(/%%\{/g, "%{");
}
