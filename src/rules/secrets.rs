//! What the secret rules share: whether a name looks like it holds a secret (PLD401, PLC401, PLX401 and the
//! command-line rules read flag and variable names through it), what a literal value holds (nothing, a
//! placeholder, or a secret), and the secrets given on command lines (PLD404, PLC403).

use crate::dockerfile::expand::Lexer;
use crate::shell::{self, Script, Word};
use crate::source::TextRange;

/// Words that name a secret: the last word of the name that decides ([`is_secret_name`]) is one of them.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pword",
    "passphrase",
    "secret",
    "secrets",
    "token",
    "apikey",
    "credential",
    "credentials",
    "creds",
    "privatekey",
    "accesskey",
    "authtoken",
    "salt",
    // Redis: the replica's password for its primary (`--masterauth`).
    "masterauth",
];

/// Endings that make a joined word a secret (`WEBPASSWORD`, `ROOTPASS`, `requirepass`, `clientsecret`).
const JOINED_ENDINGS: &[&str] =
    &["password", "passwd", "passphrase", "pass", "pwd", "secret", "token", "apikey", "credentials", "credential"];

/// Joined words with one of those endings that are not secrets.
const JOINED_EXCEPTIONS: &[&str] =
    &["bypass", "compass", "encompass", "overpass", "underpass", "trespass", "surpass", "impass", "oldpwd"];

/// Words that make a name a secret when followed by `key` (`API_KEY`, `APP_KEY`, `LICENSE_KEY`), also joined
/// (`apikey`, `secretkey`).
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "private",
    "access",
    "secret",
    "encryption",
    "encrypt",
    "signing",
    "sign",
    "master",
    "client",
    "license",
    "licence",
    "app",
    "session",
    "jwt",
    "hmac",
    "auth",
    "nonce",
    "account",
    "storage",
    "shared",
    "cookie",
];

/// Words that say the variable holds something *about* a secret, not the secret: when one comes before any
/// secret word, reading from the end of the name, the name is not a secret (`SECRET_PORT`, `PASS_SCHEME`,
/// `PASSWORD_POLICY`, `POSTGRES_PASSWORD_FILE`).
const ABOUT_WORDS: &[&str] = &[
    "file",
    "files",
    "path",
    "dir",
    "directory",
    "folder",
    "location",
    "mount",
    "url",
    "uri",
    "endpoint",
    "host",
    "hostname",
    "port",
    "scheme",
    "server",
    "address",
    "addr",
    "domain",
    "user",
    "username",
    "login",
    "email",
    "name",
    "length",
    "len",
    "min",
    "max",
    "size",
    "limit",
    "count",
    "policy",
    "policies",
    "complexity",
    "strength",
    "history",
    "attempts",
    "retries",
    "type",
    "kind",
    "method",
    "mode",
    "format",
    "version",
    "enabled",
    "enable",
    "disabled",
    "disable",
    "required",
    "prompt",
    "header",
    "prefix",
    "suffix",
    "pattern",
    "regex",
    "realm",
    "audience",
    "issuer",
    "scope",
    "expiry",
    "expires",
    "expire",
    "expiration",
    "ttl",
    "timeout",
    "lifetime",
    "age",
    "interval",
    "duration",
    "rotation",
    "retention",
    "seconds",
    "minutes",
    "hours",
    "days",
    "reset",
    "env",
    "rounds",
    "iterations",
    "cost",
    "algorithm",
    "algo",
    "hash",
    "stdin",
    "store",
    "provider",
    "backend",
    "manager",
    "source",
    "command",
    "cmd",
    "helper",
    "plugin",
];

/// Words that make the whole name public wherever they are (`PUBLIC_KEY`, `NEXT_PUBLIC_API_KEY`).
const PUBLIC_WORDS: &[&str] = &["public", "pub", "publishable"];

/// The lower-case words of a variable name: split at `_`, `-`, `.` and lower-to-upper case changes.
pub(crate) fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether word `i` of `words` names a secret.
fn is_secret_word(words: &[&str], i: usize) -> bool {
    let Some(&w) = words.get(i) else { return false };
    if SECRET_WORDS.contains(&w) {
        return true;
    }
    // `PWD` alone is the working directory; `MYSQL_PWD`, `POSTGRES_PWD` are passwords.
    if w == "pwd" {
        return words.len() > 1;
    }
    if w == "key" {
        return i > 0 && words.get(i - 1).is_some_and(|q| KEY_QUALIFIERS.contains(q));
    }
    if JOINED_EXCEPTIONS.contains(&w) {
        return false;
    }
    let joined = |ending: &str| w.len() > ending.len() && w.ends_with(ending);
    JOINED_ENDINGS.iter().any(|e| joined(e))
        || w.strip_suffix("key").is_some_and(|q| !q.is_empty() && KEY_QUALIFIERS.contains(&q))
}

/// Whether a variable (or flag) name looks like it holds a secret. The words are read from the last one: the
/// first that is a secret word (`password`, `pass`, `token`, `secret`, a qualified `key` …, also joined:
/// `WEBPASSWORD`, `ROOTPASS`) makes it a secret, the first that says the variable is about one (`file`, `url`,
/// `host`, `port`, `user`, `policy` …) makes it not; other words (`REDIS`, `ROOT`, `ID`, `BASE`) are read past.
/// Digits ending a word do not count (`PASSWORD2`). A `public` word anywhere makes it public.
pub(crate) fn is_secret_name(name: &str) -> bool {
    let words = words(name);
    let words: Vec<&str> =
        words.iter().map(|w| w.trim_end_matches(|c: char| c.is_ascii_digit())).filter(|w| !w.is_empty()).collect();
    if words.iter().any(|w| PUBLIC_WORDS.contains(w)) {
        return false;
    }
    for i in (0..words.len()).rev() {
        if is_secret_word(&words, i) {
            return true;
        }
        if words.get(i).is_some_and(|w| ABOUT_WORDS.contains(w)) {
            return false;
        }
    }
    false
}

/// What a literal value holds, when it holds something.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Literal {
    /// A value to take as the secret itself.
    Secret,
    /// A value that stands for one, to replace at deploy time (`changeme`, `<PRIVKEY>`, `xxx`, `password`).
    Placeholder,
}

/// Values that switch something on or off: `MYSQL_ALLOW_EMPTY_PASSWORD: "yes"` holds no secret.
const TOGGLES: &[&str] = &["yes", "no", "true", "false", "on", "off", "0", "1"];

/// Placeholder values, compared without case and without anything but letters and digits (`CHANGE_ME`).
const PLACEHOLDERS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "token",
    "apikey",
    "key",
    "changeme",
    "changeit",
    "changethis",
    "example",
    "placeholder",
    "dummy",
    "todo",
    "tbd",
    "fixme",
    "redacted",
    "none",
    "null",
    "empty",
    "unset",
    "notset",
    "mysecret",
    "mypassword",
    "mytoken",
    "secretkey",
];

/// Starts of placeholder values (normalised as for [`PLACEHOLDERS`]): `change_me_please`, `your_token_here`,
/// `replace-with-a-real-key`.
const PLACEHOLDER_STARTS: &[&str] =
    &["changeme", "changeit", "changethis", "replace", "your", "insertyour", "enteryour", "putyour", "setme"];

/// Whether a value looks like a placeholder that stands for a secret: a word such as `changeme` or `password`,
/// `<…>` or `{{…}}`, only `x`s (`xxx`, `XXXX-XXXX`), nothing but punctuation (`_`, `***`), `your…`,
/// `…here`, `replace…`.
pub(crate) fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    let wrapped =
        |open: &str, close: &str| v.len() > open.len() + close.len() && v.starts_with(open) && v.ends_with(close);
    if wrapped("<", ">") || wrapped("{{", "}}") {
        return true;
    }
    let norm: String = v.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    norm.is_empty()
        || (norm.len() >= 2 && norm.bytes().all(|b| b == b'x'))
        || PLACEHOLDERS.contains(&norm.as_str())
        || PLACEHOLDER_STARTS.iter().any(|s| norm.starts_with(s))
        || (norm.len() > 4 && norm.ends_with("here"))
        || norm.contains("placeholder")
        || norm.contains("changeme")
}

/// Whether a value names where a secret is rather than being one: `/run/secrets/db`, `./token`.
pub(crate) fn is_path(value: &str) -> bool {
    ["/", "./", "../", "~/"].iter().any(|p| value.starts_with(p))
}

/// What a literal value holds: `None` when it is empty, an on/off value or a path. `referenced` says that
/// the value was written with variable references around the literal part given here (`${USER}:${PASS}` gives
/// `:`): punctuation alone is then what joins them, not a placeholder.
pub(crate) fn classify_literal(value: &str, referenced: bool) -> Option<Literal> {
    let v = value.trim();
    if v.is_empty() || TOGGLES.iter().any(|t| v.eq_ignore_ascii_case(t)) || is_path(v) {
        return None;
    }
    if referenced && !v.chars().any(char::is_alphanumeric) {
        return None;
    }
    Some(if is_placeholder(v) { Literal::Placeholder } else { Literal::Secret })
}

/// What a Dockerfile value (an ARG default, an ENV value, a build arg) holds as written: its literal part
/// (unset variables expand to nothing) classified by [`classify_literal`]. `None` also when it does not expand.
pub(crate) fn dockerfile_literal(lexer: &Lexer, written: &str) -> Option<Literal> {
    let expansion = lexer.expand_word(written, &()).ok()?;
    let referenced = !expansion.unmatched.is_empty() || !expansion.matched.is_empty();
    classify_literal(&expansion.value, referenced)
}

/// A secret given literally on a command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CommandLineSecret {
    /// The value (without the flag), in the file.
    pub range: TextRange,
    /// The value as the program gets it (for locating it; never shown).
    pub value: String,
    /// How it is given: the flag (`--requirepass`, `-p`) or the variable (`PGPASSWORD`).
    pub given_with: String,
    /// `true` for a variable set for the command (`PGPASSWORD=x psql`), `false` for a flag.
    pub variable: bool,
    /// The program it is given to.
    pub program: String,
    pub literal: Literal,
}

/// MySQL's clients: `-p` and `--password` take their value only glued (`-psecret`, `--password=secret`); a
/// separate word after them is the database, and the password is prompted for.
const MYSQL_FAMILY: &[&str] = &[
    "mysql",
    "mysqladmin",
    "mysqlcheck",
    "mysqldump",
    "mysqlimport",
    "mysqlpump",
    "mysqlshow",
    "mysqlsh",
    "mysqlslap",
    "mariadb",
    "mariadb-admin",
    "mariadb-check",
    "mariadb-dump",
    "mariadb-import",
    "mariadb-show",
    "mariadb-slap",
];

/// Programs whose short option takes the password, glued or as the next word.
const SHORT_PASSWORD_FLAGS: &[(&str, char)] = &[
    ("mongo", 'p'),
    ("mongosh", 'p'),
    ("mongodump", 'p'),
    ("mongorestore", 'p'),
    ("mongoexport", 'p'),
    ("mongoimport", 'p'),
    ("sshpass", 'p'),
    ("sqlcmd", 'P'),
    ("redis-cli", 'a'),
    ("valkey-cli", 'a'),
    ("keydb-cli", 'a'),
];

/// First words of flags that switch password handling on or off rather than take one (`--no-password`,
/// `--ask-pass`, `--prompt-password`).
const SWITCH_WORDS: &[&str] = &[
    "no", "ask", "prompt", "allow", "skip", "random", "generate", "without", "require", "disabled", "disable", "empty",
    "lock",
];

/// Whether a flag name (without its dashes) takes a secret as its value (not `--disabled-password`).
fn is_secret_flag(name: &str) -> bool {
    let words = words(name);
    !words.iter().any(|w| SWITCH_WORDS.contains(&w.as_str())) && is_secret_name(name)
}

/// The range of the part of `word` from `at` (a byte offset in its value) to its end: exact when the word is
/// written as its value, else from the same offset of the text when it starts the same way, else the whole word.
fn tail(word: &Word, at: usize) -> TextRange {
    let value = word.value.as_deref().unwrap_or_default();
    let same_start = word.text.get(..at).is_some_and(|t| value.get(..at) == Some(t));
    if word.range.len() as usize == word.text.len() && same_start && at <= word.text.len() {
        let start = word.range.start + at as u32;
        return TextRange::new(start, word.range.end);
    }
    word.range
}

/// The secrets given literally in the arguments of `program` (its base name): `--password=x`, `--token x`,
/// `--requirepass x`, `-rpcpassword=x`, and the short password options of MySQL (`-px`), MongoDB, sshpass,
/// sqlcmd and redis-cli.
pub(crate) fn secrets_in_args(program: &str, args: &[Word], out: &mut Vec<CommandLineSecret>) {
    // Their arguments are text to print, not options.
    if matches!(program, "echo" | "printf") {
        return;
    }
    let mysql = MYSQL_FAMILY.contains(&program);
    let short = SHORT_PASSWORD_FLAGS.iter().find(|(p, _)| *p == program).map(|&(_, c)| c);
    let mut push = |range: TextRange, given_with: &str, value: &str| {
        // A shell word with an expansion has no value here (`$(cat /run/secrets/x)`); in exec form, where nothing
        // expands it, `$PASSWORD` is passed as written, which is no secret either.
        if value.contains('$') {
            return;
        }
        if let Some(literal) = classify_literal(value, false) {
            out.push(CommandLineSecret {
                range,
                value: value.to_owned(),
                given_with: given_with.to_owned(),
                variable: false,
                program: program.to_owned(),
                literal,
            });
        }
    };
    let mut i = 0;
    while let Some(word) = args.get(i) {
        i += 1;
        let Some(value) = word.value.as_deref() else { continue };
        if value == "--" {
            break;
        }
        let next = args.get(i).filter(|n| n.value.as_deref().is_some_and(|v| !v.starts_with('-')));
        if let Some(short) = short
            && let Some(rest) = value.strip_prefix('-').and_then(|r| r.strip_prefix(short))
        {
            let flag = format!("-{short}");
            if !rest.is_empty() {
                push(tail(word, 2), &flag, rest);
            } else if let Some(next) = next
                && let Some(v) = next.value.as_deref()
            {
                push(next.range, &flag, v);
                i += 1;
            }
            continue;
        }
        if mysql && let Some(rest) = value.strip_prefix("-p").filter(|r| !r.is_empty() && !value.starts_with("--")) {
            push(tail(word, 2), "-p", rest);
            continue;
        }
        // `--name=value`, `--name value`, and single-dash long options written with `=` (`-rpcpassword=x`).
        let (dashes, body) = match value.strip_prefix("--") {
            Some(body) => (2, body),
            None => match value.strip_prefix('-') {
                Some(body) if body.contains('=') && body.find('=').is_some_and(|eq| eq > 1) => (1, body),
                _ => continue,
            },
        };
        let (name, inline) = match body.split_once('=') {
            Some((name, v)) => (name, Some(v)),
            None => (body, None),
        };
        if name.is_empty() || !is_secret_flag(name) {
            continue;
        }
        let flag = format!("{}{name}", "-".repeat(dashes));
        match inline {
            Some(v) => push(tail(word, dashes + name.len() + 1), &flag, v),
            // MySQL's `--password` alone prompts; the word after it is the database.
            None if !mysql => {
                if let Some(next) = next
                    && let Some(v) = next.value.as_deref()
                {
                    push(next.range, &flag, v);
                    i += 1;
                }
            }
            None => {}
        }
    }
}

/// Whether a word is a shell variable assignment `NAME=value`: the name and the value's offset.
fn assignment(text: &str) -> Option<(&str, usize)> {
    let eq = text.find('=')?;
    let name = &text[..eq];
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then_some((name, eq + 1))
}

/// The secrets given literally on the command lines of a script (and the scripts it runs with `sh -c`):
/// flags ([`secrets_in_args`]) and secret-named variables set for a command (`PGPASSWORD=x psql`,
/// `env MYSQL_PWD=x mysql`).
pub(crate) fn secrets_in_script(script: &Script, out: &mut Vec<CommandLineSecret>) {
    for command in shell::effective_commands(script) {
        let program = command.program;
        let mut assignments: Vec<(&str, &Word, usize)> = Vec::new();
        for (name, value) in &command.command.env {
            if let Some(n) = name.value.as_deref() {
                assignments.push((n, value, 0));
            }
        }
        // Through `env` or `sudo`: `NAME=value` words before the program.
        for word in command.command.args.iter().take_while(|w| w.range.start < command.name.range.start) {
            if let Some((name, at)) = word.value.as_deref().and_then(assignment) {
                assignments.push((name, word, at));
            }
        }
        for (name, word, at) in assignments {
            let Some(value) = word.value.as_deref().and_then(|v| v.get(at..)) else { continue };
            if !is_secret_name(name) {
                continue;
            }
            if value.contains('$') {
                continue;
            }
            if let Some(literal) = classify_literal(value, false) {
                out.push(CommandLineSecret {
                    range: tail(word, at),
                    value: value.to_owned(),
                    given_with: name.to_owned(),
                    variable: true,
                    program: program.to_owned(),
                    literal,
                });
            }
        }
        secrets_in_args(program, command.args, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split() {
        assert_eq!(words("dbPassword_FILE"), ["db", "password", "file"]);
        assert_eq!(words("GITHUB-TOKEN"), ["github", "token"]);
    }

    #[test]
    fn secret_names() {
        for name in [
            "PASSWORD",
            "DB_PASS",
            "MYSQL_ROOT_PASSWORD",
            "npmToken",
            "API_KEY",
            "apiKey",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_ACCESS_KEY_ID",
            "PRIVATE_KEY",
            "GOOGLE_CREDENTIALS",
            "NPM_AUTH_TOKEN",
            "client_secret",
            // The last word first: `host`, `url` and `user` earlier in the name do not matter.
            "REDIS_HOST_PASSWORD",
            "SOGO_URL_ENCRYPTION_KEY",
            "LDAP_USER_PASS",
            // Joined words.
            "WEBPASSWORD",
            "ROOTPASS",
            "LDAP_ROOTPASS",
            "requirepass",
            "clientSecret",
            "APP_KEY",
            "LICENSE_KEY",
            "SECRET_KEY_BASE",
            "DB_PASSWORD2",
            "MYSQL_PWD",
            "AUTH_SALT",
            "VAULT_SECRET_ID",
            "DB_PASSWORD_PROD",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "AUTHOR",
            "PASSENGER_VERSION",
            "COMPASS",
            "BYPASS",
            "GPG_KEY",
            "GPG_KEYS",
            "RABBITMQ_PGP_KEY_ID",
            "KEY",
            "POSTGRES_PASSWORD_FILE",
            "SECRET_PATH",
            "TOKEN_ENDPOINT",
            "PASSWORD_MIN_LENGTH",
            "SECRETS_DIR",
            "TOKEN_URL",
            "PUBLIC_KEY",
            "NEXT_PUBLIC_API_KEY",
            "PWD",
            "OLDPWD",
            "PASSWORD_PROMPT",
            "NODE_AUTH",
            "DB_USER",
            // The last word says what the variable is.
            "SECRET_PORT",
            "SECRET_LOCAL_HOSTNAME",
            "PASS_SCHEME",
            "DOVECOT_PASSWORD_POLICY",
            "JWT_ACCESS_TOKEN_EXPIRE_MINUTES",
            "password-stdin",
            "OPENAI_MAX_TOKENS",
            "FLEET_TOKEN_POLICY_NAME",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn placeholders() {
        for value in [
            "ChangeMe",
            "changeme",
            "CHANGE_ME",
            "change-me-please",
            "<PRIVKEY>",
            "{{ db_password }}",
            "xxx",
            "XXXX-XXXX",
            "_",
            "***",
            "password",
            "Password",
            "secret",
            "your_token_here",
            "YOUR-API-KEY",
            "replace-with-a-real-key",
            "example",
        ] {
            assert!(is_placeholder(value), "{value}");
        }
        for value in ["hunter2", "s3cret", "Summer2024!", "root", "postgres", "x", "npm_abc123", "base64:YWJj"] {
            assert!(!is_placeholder(value), "{value}");
        }
    }

    #[test]
    fn literals() {
        assert_eq!(classify_literal("hunter2", false), Some(Literal::Secret));
        assert_eq!(classify_literal("changeme", false), Some(Literal::Placeholder));
        assert_eq!(classify_literal("_", false), Some(Literal::Placeholder));
        assert_eq!(classify_literal(":", true), None);
        assert_eq!(classify_literal("", false), None);
        assert_eq!(classify_literal("yes", false), None);
        assert_eq!(classify_literal("/run/secrets/db", false), None);
    }

    fn found(line: &str) -> Vec<(String, String, Literal)> {
        let script = shell::parse_script(line, &|o| o as u32);
        let mut out = Vec::new();
        secrets_in_script(&script, &mut out);
        out.into_iter().map(|s| (s.given_with, line[s.range.as_usize()].to_owned(), s.literal)).collect()
    }

    fn given(line: &str) -> Vec<(String, String)> {
        found(line).into_iter().map(|(g, v, _)| (g, v)).collect()
    }

    #[test]
    fn command_lines() {
        let pair = |g: &str, v: &str| (g.to_owned(), v.to_owned());
        assert_eq!(given("redis-server --requirepass s3cret"), [pair("--requirepass", "s3cret")]);
        assert_eq!(given("redis-server --masterauth s3cret --port 6380"), [pair("--masterauth", "s3cret")]);
        assert_eq!(given("app --password=s3cret"), [pair("--password", "s3cret")]);
        assert_eq!(given("app --db-password 's3cret'"), [pair("--db-password", "'s3cret'")]);
        assert_eq!(given("bitcoind -rpcpassword=s3cret"), [pair("-rpcpassword", "s3cret")]);
        assert_eq!(given("mysqladmin ping -uroot -ps3cret"), [pair("-p", "s3cret")]);
        assert_eq!(given("/usr/bin/mysql -u root --password=s3cret app"), [pair("--password", "s3cret")]);
        assert_eq!(given("mongosh -u root -p s3cret"), [pair("-p", "s3cret")]);
        assert_eq!(given("sqlcmd -S db -U sa -P \"Pass@word1\" -Q 'SELECT 1'"), [pair("-P", "\"Pass@word1\"")]);
        assert_eq!(given("redis-cli -a s3cret ping"), [pair("-a", "s3cret")]);
        assert_eq!(given("PGPASSWORD=s3cret psql -h db -U app"), [pair("PGPASSWORD", "s3cret")]);
        assert_eq!(given("env MYSQL_PWD=s3cret mysql -uroot"), [pair("MYSQL_PWD", "s3cret")]);
        assert_eq!(given("sh -c 'redis-server --requirepass s3cret'"), [pair("--requirepass", "s3cret")]);
        assert_eq!(found("redis-server --requirepass changeme")[0].2, Literal::Placeholder);
        for clean in [
            "redis-server --requirepass $REDIS_PASSWORD",
            "redis-server --requirepass \"$(cat /run/secrets/redis)\"",
            "valkey-server --requirepass $$REDIS_PASSWORD",
            "mysqladmin ping -h 127.0.0.1 --password=\"$(cat /run/secrets/db-password)\" --silent",
            "mysql -u root -p app",
            "mysql -u root --password app",
            "psql -h db -p 5432 -U app",
            "app --password-file /run/secrets/pw",
            "app --password-stdin",
            "app --no-password host",
            "app --ask-pass host",
            "app --token-ttl 900",
            "app --require-password true",
            "adduser --disabled-password appuser",
            "git config --credential-helper store",
            "docker login --password-stdin -u me",
            "app --password -x",
            "tar -p -xf x.tar",
            "PGPASSWORD=$PW psql",
            "PGHOST=db psql",
        ] {
            assert_eq!(given(clean), [] as [(String, String); 0], "{clean}");
        }
    }
}
