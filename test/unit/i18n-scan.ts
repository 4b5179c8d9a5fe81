/**
 * Finds text a person would read that does not go through i18n: in TSX, JSX text with letters,
 * string literals (or templates) among a JSX child's expressions or in user-facing props
 * (title, aria-label, placeholder, alt, label, *Label, *Text, ...), and strings given to known
 * sinks (setError, new AppError, confirm). In .ts page code, literals that read like a sentence.
 * In HTML pages, a <title> or lang="..." written in.
 * What is not words (symbols, digits, brand names) passes through ALLOWED.
 */
import ts from 'typescript';

export interface Finding { file: string; line: number; text: string; why: string }

/** Names of things, not words to translate. */
export const ALLOWED = new Set([
  'Revoke', 'otpauth://', 'TOTP', 'HOTP', 'Steam', 'SHA1', 'SHA256', 'SHA512', 'QR',
  // Examples of what to type, the same in every language.
  'JBSW Y3DP EHPK 3PXP', 'otpauth://totp/Example:alice@example.com?secret=…', 'alice@example.com', 'GitHub', 'github.com',
  'https://example.com/logout',
]);

const USER_PROPS = /^(title|aria-label|aria-description|aria-roledescription|aria-valuetext|aria-placeholder|placeholder|alt|label|heading|summary|help|[a-z]+(Label|Text|Title|Message|Hint|Help))$/;
const SINK_CALLS = new Set(['setError', 'setNotice', 'setMessage', 'setStatus', 'confirm', 'alert', 'announce']);
const SINK_CONSTRUCTORS = new Set(['AppError']);
/** Attributes never shown as text. */
const CODE_PROPS = /^(class|className|id|key|type|name|role|href|src|rel|target|for|htmlFor|lang|dir|autocomplete|autoComplete|inputMode|pattern|accept|method|action|value|tabIndex|style|form|list|data-.*|aria-(controls|labelledby|describedby|live|current|haspopup|expanded|selected|hidden|invalid|busy|pressed|modal|atomic|relevant|owns|activedescendant|sort|orientation|autocomplete|keyshortcuts)|spellcheck|enterKeyHint|download|dateTime|width|height|viewBox|d|fill|stroke|xmlns|.*-.*)$/;

const hasWords = (text: string) => {
  const words = text.match(/\p{L}[\p{L}\p{M}'’-]*/gu) ?? [];
  return words.some((w) => !ALLOWED.has(w) && !ALLOWED.has(text.trim()));
};
/** In plain .ts code a string is text when it reads like one: two words and a capital, or an end mark. */
const readsLikeSentence = (text: string) =>
  hasWords(text) && /\p{L}{2,}[ ,]+\p{L}{2,}/u.test(text) && (/^\s*\p{Lu}/u.test(text) || /[.!?…:]\s*$/.test(text));

function literalTexts(node: ts.Node): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)];
  return [];
}

/** Literals inside an expression, not looking into calls (t('key'), fn('x')) or property access keys. */
function literalsIn(expr: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    if (literalTexts(n).length) out.push(n);
    if (ts.isCallExpression(n) || ts.isElementAccessExpression(n) || ts.isJsxElement(n) || ts.isJsxSelfClosingElement(n) || ts.isJsxFragment(n)) return;
    // { kind: 'error', text: ... }: the kind is a code; the text is looked at.
    if (ts.isPropertyAssignment(n) && /^(kind|code|type|status|state|key)$/.test(n.name.getText())) return;
    if (ts.isBinaryExpression(n) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(n.operatorToken.kind)) return;
    if (ts.isTemplateExpression(n)) return n.templateSpans.forEach((s) => visit(s.expression));
    ts.forEachChild(n, visit);
  };
  visit(expr);
  return out;
}

export function scanSource(file: string, source: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const findings: Finding[] = [];
  const report = (node: ts.Node, text: string, why: string) =>
    findings.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: text.trim(), why });
  const reportLiterals = (expr: ts.Node, why: string, test = hasWords) => {
    for (const lit of literalsIn(expr)) for (const text of literalTexts(lit)) if (test(text)) report(lit, text, why);
  };

  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node) && hasWords(node.text)) report(node, node.text, 'JSX text');
    if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      reportLiterals(node.expression, 'string in JSX');
    }
    if (ts.isJsxAttribute(node)) {
      const name = node.name.getText(sf);
      if (USER_PROPS.test(name) && node.initializer) {
        const expr = ts.isJsxExpression(node.initializer) ? node.initializer.expression : node.initializer;
        if (expr) reportLiterals(expr, `${name} attribute`);
        return;
      }
      if (node.initializer && ts.isStringLiteral(node.initializer)) {
        if (!CODE_PROPS.test(name) && readsLikeSentence(node.initializer.text)) report(node, node.initializer.text, `${name} attribute`);
        return;
      }
      // An expression (a callback, a condition): sentences inside it are found below.
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      const args = node.arguments ?? ts.factory.createNodeArray();
      if (ts.isCallExpression(node) && SINK_CALLS.has(name)) args.forEach((a) => reportLiterals(a, `${name}()`));
      // new AppError(code, message, said): with `said` the page shows that, and the message is for logs.
      if (ts.isNewExpression(node) && SINK_CONSTRUCTORS.has(name) && args.length < 3) args.slice(1).forEach((a) => reportLiterals(a, `new ${name}()`));
      if (ts.isNewExpression(node) && SINK_CONSTRUCTORS.has(name) && args.length >= 3) return;
      // Developer messages and log lines are not read by the person.
      if (name === 'Error' || /^(log|warn|error|debug|info)$/.test(name)) return;
    }
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) && !insideReported(node)) {
      for (const text of literalTexts(node)) if (readsLikeSentence(text)) report(node, text, 'sentence in code');
    }
    ts.forEachChild(node, visit);
  };
  // A literal already reported through its JSX context is not reported twice.
  const insideReported = (node: ts.Node) => findings.some((f) => f.line === sf.getLineAndCharacterOfPosition(node.getStart()).line + 1 && literalTexts(node).some((x) => x.trim() === f.text));
  visit(sf);
  return findings;
}

/** HTML pages: the title and the language come from the script (the browser's language). */
export function scanHtml(file: string, html: string): Finding[] {
  const findings: Finding[] = [];
  const title = /<title>([^<]*)<\/title>/.exec(html);
  if (title && hasWords(title[1]!)) findings.push({ file, line: html.slice(0, title.index).split('\n').length, text: title[1]!, why: '<title>' });
  const lang = /<html[^>]*\slang="([^"]*)"/.exec(html);
  if (lang) findings.push({ file, line: 1, text: lang[1]!, why: 'fixed lang attribute' });
  return findings;
}

/** Refusals and failures a page may show, by the argument that carries their words as a key. */
const SAID_ARGUMENT: Record<string, number> = { AppError: 2, ConnectorError: 3, SessionsError: 2, VaultError: 2, ImportError: 2 };
/** A comment with this marks a refusal only a bug can meet (the pages never send what it refuses). */
export const FOR_THE_LOG = 'plain English for the log';

/**
 * Anywhere in src/: an error a person may be shown (see SAID_ARGUMENT) made with words in its
 * message but without its words as a key, which would reach a German page in English.
 */
export function scanErrors(file: string, source: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const findings: Finding[] = [];
  const markedForLog = (node: ts.Node): boolean => {
    for (let n: ts.Node | undefined = node; n && !ts.isSourceFile(n); n = n.parent) {
      const comments = ts.getLeadingCommentRanges(source, n.getFullStart()) ?? [];
      if (comments.some((c) => source.slice(c.pos, c.end).includes(FOR_THE_LOG))) return true;
    }
    return false;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text in SAID_ARGUMENT) {
      const args = node.arguments ?? ts.factory.createNodeArray();
      const message = args[1];
      const texts = message ? literalsIn(message).flatMap(literalTexts) : [];
      if (args.length <= SAID_ARGUMENT[node.expression.text]! && texts.some(hasWords) && !markedForLog(node)) {
        findings.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: texts.join('…').trim(), why: `new ${node.expression.text}() without its words as a key` });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return findings;
}

/** Properties of what the background shows: a notification's title and message (and a button's title). */
const NOTICE_PROPS = /^(title|message|contextMessage)$/;
/** Calls that show their string arguments: the worker's notify(title, message), an action's title or badge. */
const NOTICE_CALLS = new Set(['notify', 'setTitle', 'setBadgeText']);
/** Read by the browser or its store's reviewers, never shown to the person. */
const NOT_SHOWN_PROPS = /^(justification|id|iconUrl|url|type|kind|code)$/;

/**
 * The worker's code (src/background): it has no page, but its notifications are read, and so are
 * the reasons it records in the audit log. Finds literals with words in a notification's title or
 * message (an object that also carries `said` keeps its message for the log), in the string
 * arguments of notifications.create and notify(), and elsewhere literals that read like a sentence.
 * Errors are scanErrors' part; developer messages and log lines are not read by the person.
 */
export function scanBackground(file: string, source: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const findings: Finding[] = [];
  const seen = new Set<ts.Node>();
  const report = (node: ts.Node, text: string, why: string) => {
    if (seen.has(node)) return;
    seen.add(node);
    findings.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: text.trim(), why });
  };
  const reportLiterals = (expr: ts.Node, why: string) => {
    for (const lit of literalsIn(expr)) for (const text of literalTexts(lit)) if (hasWords(text)) report(lit, text, why);
  };
  const hasSaid = (o: ts.ObjectLiteralExpression) => o.properties.some((p) => p.name !== undefined && p.name.getText(sf) === 'said');

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (ts.isPropertyAssignment(node) && !ts.isComputedPropertyName(node.name)) {
      const name = node.name.getText(sf).replace(/^['"]|['"]$/g, '');
      if (NOT_SHOWN_PROPS.test(name)) return;
      if (NOTICE_PROPS.test(name)) {
        if (ts.isObjectLiteralExpression(node.parent) && hasSaid(node.parent)) return;
        reportLiterals(node.initializer, `notification ${name}`);
      }
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      const args = [...(node.arguments ?? [])];
      if (name === 'Error' || /^(log|warn|error|debug|info)$/.test(name)) return;
      // new AppError(code, message, said) and its kin: scanErrors' part.
      if (ts.isNewExpression(node) && name in SAID_ARGUMENT) return;
      const onNotifications = ts.isPropertyAccessExpression(callee) && name === 'create' && /notifications$/.test(callee.expression.getText(sf));
      if (ts.isCallExpression(node) && (NOTICE_CALLS.has(name) || onNotifications)) {
        // notifications.create(id, options): the id is a name, not words.
        const shown = onNotifications && args.length > 1 ? args.slice(1) : args;
        for (const a of shown) if (!ts.isObjectLiteralExpression(a)) reportLiterals(a, `${name}()`);
      }
    }
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) && !seen.has(node)) {
      if (!(ts.isPropertyAssignment(node.parent) && ts.isObjectLiteralExpression(node.parent.parent) && hasSaid(node.parent.parent))) {
        for (const text of literalTexts(node)) if (readsLikeSentence(text)) report(node, text, 'sentence in code');
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return findings;
}
