//! One template through minijinja: strict undefined, no auto-escaping (the
//! output is YAML, not HTML), and errors at the template line they name.

use minijinja::{Environment, UndefinedBehavior};
use serde_json::{Value, json};

use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::source::{FileId, Sources, Span};
use crate::spec::Tier;
use crate::yaml::{Node, to_json};

/// What a template sees: `environment`, `tier`, `platform` (the platform's
/// name), `domain`, `parameters`, and `spec`, the merged spec of the
/// environment as YAML 1.2 values.
pub(super) struct Context {
    value: Value,
}

impl Context {
    pub(super) fn new(tree: &Node, environment: &str) -> Self {
        let spec = to_json(tree);
        let tier = spec
            .get("tier")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| {
                Tier::from_environment_name(environment).map(|tier| tier.as_str().to_owned())
            });
        let value = json!({
            "environment": environment,
            "tier": tier,
            "platform": spec.pointer("/platform/name").cloned().unwrap_or(Value::Null),
            "domain": spec.get("domain").cloned().unwrap_or(Value::Null),
            "parameters": spec.get("parameters").cloned().unwrap_or_else(|| json!({})),
            "spec": spec,
        });
        Self { value }
    }

    fn names(&self) -> Vec<&str> {
        self.value
            .as_object()
            .map(|map| map.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }
}

/// The rendered text of the template `file` (`relative` in the platform).
pub(super) fn render(
    relative: &str,
    file: FileId,
    context: &Context,
    sources: &Sources,
) -> Result<String, Diagnostic> {
    let text = sources.get(file).text.clone();
    let mut environment = Environment::new();
    environment.set_undefined_behavior(UndefinedBehavior::Strict);
    // minijinja keeps what an error needs to name the undefined variable
    // only in debug mode, which it turns on in debug builds alone: without
    // this, the release binary users run says "undefined value" where the
    // tests see "`platfrom` is undefined".
    environment.set_debug(true);
    environment.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    // A `{% … %}` line leaves no blank line or indentation behind, so block
    // tags can sit on lines of their own in YAML; the final newline stays.
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .expect("the default delimiters are valid");
    environment.set_syntax(syntax);
    let rendered = environment
        .template_from_named_str(relative, &text)
        .and_then(|template| template.render(minijinja::value::Serde(&context.value)));
    rendered.map_err(|error| failure(&error, file, &text, context))
}

fn failure(error: &minijinja::Error, file: FileId, text: &str, context: &Context) -> Diagnostic {
    let span = error
        .line()
        .and_then(|line| line_span(file, text, line))
        .unwrap_or_else(|| Span::point(file, 0));
    let detail = error
        .detail()
        .map(str::to_owned)
        .unwrap_or_else(|| error.kind().to_string());
    let mut diagnostic = Diagnostic::error(
        Code::TemplateError,
        format!("the template cannot be rendered: {detail}"),
    )
    .at(span, error.kind().to_string());
    if error.kind() == minijinja::ErrorKind::UndefinedError {
        // minijinja names the undefined value in backticks, when it can.
        let word = detail
            .split('`')
            .nth(1)
            .map(str::to_owned)
            .or_else(|| {
                text.get(span.range())
                    .and_then(|line| first_unknown(line, context))
            })
            .unwrap_or_default();
        diagnostic = diagnostic
            .with_help_opt(suggestion::did_you_mean(&word, context.names()))
            .with_note(format!(
                "a template sees {}",
                context
                    .names()
                    .iter()
                    .map(|name| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
    }
    diagnostic
}

/// The first identifier inside `{{ … }}` or `{% … %}` on `line` that is not
/// a top-level name of the context: the likely undefined one.
fn first_unknown(line: &str, context: &Context) -> Option<String> {
    let names = context.names();
    let expressions: String = line
        .split("{{")
        .skip(1)
        .chain(line.split("{%").skip(1))
        .map(|rest| rest.split(['}', '%']).next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ");
    expressions
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| word.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .find(|word| {
            !names.contains(word)
                && !matches!(
                    *word,
                    "if" | "for" | "in" | "endif" | "endfor" | "else" | "not" | "and" | "or"
                )
        })
        .map(str::to_owned)
}

/// The span of line `line` (1-based) of `text`.
fn line_span(file: FileId, text: &str, line: usize) -> Option<Span> {
    let mut start = 0;
    for (index, content) in text.split_inclusive('\n').enumerate() {
        if index + 1 == line {
            let end = start + content.trim_end_matches(['\n', '\r']).len();
            return Some(Span::new(file, start, end));
        }
        start += content.len();
    }
    None
}
