/**
 * Terraform templates and expressions, as they appear in cdktf's JSON, written with the
 * spacing `terraform fmt` gives them.
 *
 * Every string in Terraform's JSON syntax is a template: literal text with `${ expr }`
 * interpolations and `%{ if ... }` directives (`$${` and `%%{` are escaped literals). This
 * module splits such a string into its literal text and its sequences, lexes the expressions
 * inside the sequences into HCL tokens, and joins the tokens with exactly the spaces
 * hclwrite's formatter (which `terraform fmt` runs) puts between them. Token text is never
 * changed, only the whitespace between tokens, so the meaning of an expression is kept.
 *
 * Expressions must fit on one line (cdktf never writes a newline inside one); heredocs and
 * comments inside expressions are rejected for the same reason.
 */

/** HCL token kinds, named after hclsyntax's `Token*` types; only those cdktf can produce. */
export type TokenType =
  | "ident"
  | "number"
  | "oquote"
  | "quotedLit"
  | "cquote"
  | "interp"
  | "control"
  | "seqEnd"
  | "oparen"
  | "cparen"
  | "obrack"
  | "cbrack"
  | "obrace"
  | "cbrace"
  | "comma"
  | "dot"
  | "ellipsis"
  | "doubleColon"
  | "equal"
  | "colon"
  | "question"
  | "fatArrow"
  | "minus"
  | "plus"
  | "star"
  | "slash"
  | "percent"
  | "equalOp"
  | "notEqual"
  | "lessThan"
  | "lessThanEq"
  | "greaterThan"
  | "greaterThanEq"
  | "and"
  | "or"
  | "bang";

/** One HCL token of an expression. */
export interface Token {
  readonly type: TokenType;
  readonly text: string;
}

/** A piece of a template: literal text (escapes such as `$${` kept as written) or a sequence. */
export type TemplatePart =
  | { readonly kind: "literal"; readonly text: string }
  /** `${ expr }` or `%{ directive }`, delimiters included, spaced as terraform fmt does. */
  | { readonly kind: "sequence"; readonly text: string; readonly interpolation: boolean; readonly inner: string };

/** Operators and punctuation, longest first so that `==` wins over `=`. */
const PUNCTUATION: ReadonlyArray<readonly [string, TokenType]> = [
  ["...", "ellipsis"],
  ["=>", "fatArrow"],
  ["==", "equalOp"],
  ["!=", "notEqual"],
  ["<=", "lessThanEq"],
  [">=", "greaterThanEq"],
  ["&&", "and"],
  ["||", "or"],
  ["::", "doubleColon"],
  ["(", "oparen"],
  [")", "cparen"],
  ["[", "obrack"],
  ["]", "cbrack"],
  ["{", "obrace"],
  [",", "comma"],
  [".", "dot"],
  ["=", "equal"],
  [":", "colon"],
  ["?", "question"],
  ["-", "minus"],
  ["+", "plus"],
  ["*", "star"],
  ["/", "slash"],
  ["%", "percent"],
  ["<", "lessThan"],
  [">", "greaterThan"],
  ["!", "bang"],
];

const IDENTIFIER = /[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_-]*/uy;
/**
 * `IDENTIFIER` in ASCII text, where the two match alike. Used whenever the text is ASCII, as
 * nearly all is: the first use of `IDENTIFIER` loads Unicode's tables, about 8 ms.
 */
const ASCII_IDENTIFIER = /[A-Za-z_][A-Za-z0-9_-]*/y;
const NON_ASCII = /[\u0080-\uffff]/;
const NUMBER = /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** Splits a template (a string of cdktf's JSON) into literal text and formatted sequences. */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = "";
  let pos = 0;
  while (pos < template.length) {
    const rest = template.slice(pos, pos + 3);
    if (rest === "$${" || rest === "%%{") {
      literal += rest;
      pos += 3;
    } else if (rest.startsWith("${") || rest.startsWith("%{")) {
      if (literal) parts.push({ kind: "literal", text: literal });
      literal = "";
      const lexer = new Lexer(template, pos);
      const tokens = lexer.sequence();
      const inner = tokens.slice(1, -1);
      if (inner.length === 0) throw new Error(`Empty template sequence in ${JSON.stringify(template)}`);
      parts.push({
        kind: "sequence",
        text: spaceTokens(tokens),
        interpolation: tokens[0].type === "interp",
        inner: spaceTokens(inner),
      });
      pos = lexer.pos;
    } else {
      literal += template[pos];
      pos += 1;
    }
  }
  if (literal) parts.push({ kind: "literal", text: literal });
  return parts;
}

/**
 * The expression of a template that is a single interpolation (`"${aws_kms_key.primary.arn}"`),
 * else undefined. Such a template evaluates to the expression's value unchanged, so it can be
 * written as the bare expression, as `terraform fmt` does. Strip markers (`${~ x ~}`) have
 * nothing to strip when there is no literal text.
 */
export function interpolationOnly(parts: readonly TemplatePart[]): string | undefined {
  const [only] = parts;
  return parts.length === 1 && only.kind === "sequence" && only.interpolation ? only.inner : undefined;
}

/** The template with every sequence spaced as terraform fmt does; literal text unchanged. */
export function canonicalTemplate(template: string): string {
  return parseTemplate(template)
    .map((part) => part.text)
    .join("");
}

/**
 * The tokens of a template that is exactly one interpolation (`${jsonencode({...})}`), without
 * its delimiters, for readers of literal expressions; undefined for any other template. Throws
 * for a template the lexer cannot read.
 */
export function interpolationTokens(template: string): Token[] | undefined {
  if (!template.startsWith("${")) return undefined;
  const lexer = new Lexer(template, 0);
  const tokens = lexer.sequence();
  if (lexer.pos !== template.length || tokens[0].type !== "interp") return undefined;
  return tokens.slice(1, -1);
}

/** Reads HCL tokens from `source`, starting at `pos`. */
class Lexer {
  private readonly identifier: RegExp;

  constructor(
    private readonly source: string,
    public pos: number,
  ) {
    this.identifier = NON_ASCII.test(source) ? IDENTIFIER : ASCII_IDENTIFIER;
  }

  /** A `${ ... }` or `%{ ... }` sequence starting at `pos`, delimiters included. */
  sequence(): Token[] {
    const open = this.source.startsWith("~", this.pos + 2) ? 3 : 2;
    const opener: Token = {
      type: this.source[this.pos] === "$" ? "interp" : "control",
      text: this.source.slice(this.pos, this.pos + open),
    };
    this.pos += open;
    const tokens = [opener, ...this.expression()];
    const close = this.source.startsWith("~}", this.pos) ? "~}" : "}";
    if (!this.source.startsWith(close, this.pos)) {
      throw new Error(`Unterminated template sequence in ${JSON.stringify(this.source)}`);
    }
    this.pos += close.length;
    return [...tokens, { type: "seqEnd", text: close }];
  }

  /** Tokens up to the end of input or the `}` / `~}` closing the enclosing sequence. */
  private expression(): Token[] {
    const tokens: Token[] = [];
    let braces = 0;
    for (;;) {
      this.skipSpaces();
      const char = this.source[this.pos];
      if (char === undefined) return tokens;
      if (braces === 0 && (char === "}" || this.source.startsWith("~}", this.pos))) return tokens;
      if (char === "{") braces += 1;
      if (char === "}") {
        braces -= 1;
        tokens.push({ type: "cbrace", text: "}" });
        this.pos += 1;
      } else if (char === '"') {
        tokens.push(...this.quoted());
      } else {
        tokens.push(this.simpleToken());
      }
    }
  }

  private skipSpaces(): void {
    while (this.source[this.pos] === " " || this.source[this.pos] === "\t") this.pos += 1;
  }

  /** An identifier, number, operator or punctuation token. */
  private simpleToken(): Token {
    const word = this.match(this.identifier) ?? this.match(NUMBER);
    if (word !== undefined) return { type: /^[0-9]/.test(word) ? "number" : "ident", text: word };
    if (
      this.source.startsWith("<<", this.pos) ||
      this.source[this.pos] === "#" ||
      this.source.startsWith("//", this.pos)
    ) {
      throw new Error(`Heredocs and comments are not supported in expressions: ${JSON.stringify(this.source)}`);
    }
    const punctuation = PUNCTUATION.find(([text]) => this.source.startsWith(text, this.pos));
    if (!punctuation) {
      throw new Error(
        `Unexpected ${JSON.stringify(this.source[this.pos])} in expression ${JSON.stringify(this.source)}`,
      );
    }
    this.pos += punctuation[0].length;
    return { type: punctuation[1], text: punctuation[0] };
  }

  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos;
    const found = pattern.exec(this.source);
    if (!found) return undefined;
    this.pos += found[0].length;
    return found[0];
  }

  /** A quoted template inside an expression: `"text ${ expr } text"`, escapes kept as written. */
  private quoted(): Token[] {
    const tokens: Token[] = [{ type: "oquote", text: '"' }];
    this.pos += 1;
    let literal = "";
    const flushLiteral = () => {
      if (literal) tokens.push({ type: "quotedLit", text: literal });
      literal = "";
    };
    for (;;) {
      const char = this.source[this.pos];
      const rest = this.source.slice(this.pos, this.pos + 3);
      if (char === undefined || char === "\n") {
        throw new Error(`Unterminated string in expression ${JSON.stringify(this.source)}`);
      } else if (char === '"') {
        flushLiteral();
        this.pos += 1;
        return [...tokens, { type: "cquote", text: '"' }];
      } else if (char === "\\") {
        literal += this.source.slice(this.pos, this.pos + 2);
        this.pos += 2;
      } else if (rest === "$${" || rest === "%%{") {
        literal += rest;
        this.pos += 3;
      } else if (rest.startsWith("${") || rest.startsWith("%{")) {
        flushLiteral();
        tokens.push(...this.sequence());
      } else {
        literal += char;
        this.pos += 1;
      }
    }
  }
}

/** Joins tokens with the spaces hclwrite's formatter puts between them. */
function spaceTokens(tokens: readonly Token[]): string {
  return tokens
    .map((token, i) => {
      const space = i > 0 && spaceAfter(tokens[i - 1], tokens[i - 2], token) ? " " : "";
      return space + token.text;
    })
    .join("");
}

function bracketChange(token: Token): number {
  switch (token.type) {
    case "obrace":
    case "obrack":
    case "oparen":
    case "interp":
    case "control":
      return 1;
    case "cbrace":
    case "cbrack":
    case "cparen":
    case "seqEnd":
      return -1;
    default:
      return 0;
  }
}

/** Tokens after which a `-` is a negation, not a subtraction. */
const BEFORE_NEGATION: ReadonlySet<TokenType | undefined> = new Set<TokenType | undefined>([
  undefined,
  "oparen",
  "obrace",
  "obrack",
  "equal",
  "colon",
  "comma",
  "question",
  "plus",
  "star",
  "slash",
  "percent",
  "minus",
  "equalOp",
  "notEqual",
  "greaterThan",
  "greaterThanEq",
  "lessThan",
  "lessThanEq",
  "and",
  "or",
  "bang",
]);

/**
 * hclwrite's `spaceAfterToken` (hashicorp/hcl, hclwrite/format.go), case for case and in the
 * same order: whether `subject`, preceded by `before`, is followed by a space before `after`.
 */
function spaceAfter(subject: Token, before: Token | undefined, after: Token): boolean {
  if (subject.type === "ident" && after.type === "oparen") return false;
  if (
    (subject.type === "ident" && after.type === "doubleColon") ||
    (subject.type === "doubleColon" && after.type === "ident")
  ) {
    return false;
  }
  if (subject.type === "dot" || after.type === "dot") return false;
  if (after.type === "comma" || after.type === "ellipsis") return false;
  if (subject.type === "comma") return true;
  if (
    subject.type === "quotedLit" ||
    subject.type === "oquote" ||
    after.type === "quotedLit" ||
    after.type === "cquote"
  ) {
    return false;
  }
  if (subject.type === "ident" && subject.text === "in" && before?.type === "ident") return true;
  if (
    after.type === "obrack" &&
    (subject.type === "ident" || subject.type === "number" || bracketChange(subject) < 0)
  ) {
    return false;
  }
  if (subject.type === "bang") return false;
  if (subject.type === "minus") return !BEFORE_NEGATION.has(before?.type);
  if (subject.type === "obrace" || after.type === "cbrace")
    return !(subject.type === "obrace" && after.type === "cbrace");
  if ((subject.type === "interp" || subject.type === "control") && after.type === "obrace") return true;
  if (subject.type === "cbrace" && after.type === "seqEnd") return true;
  if (subject.type === "seqEnd" && (after.type === "interp" || after.type === "control")) return false;
  if (bracketChange(subject) > 0) return false;
  if (bracketChange(after) < 0) return false;
  return true;
}
