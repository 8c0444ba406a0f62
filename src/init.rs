//! `platformgen init`: the files of a new platform that renders and checks
//! clean in every environment, with the editor schemas beside it so its
//! modelines work outside this repository, a `.gitignore` and the CI workflow
//! of docs/ci.md. Produces the files; `emit::create_new_files` writes them.

use crate::schema;

/// A file to create, relative to the platform directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaffoldFile {
    pub path: &'static str,
    pub text: String,
}

/// The scaffold's templates: `{{name}}` is the platform's name, `{{version}}`
/// platformgen's.
const TEMPLATES: &[(&str, &str)] = &[
    ("platform.yaml", include_str!("init/files/platform.yaml")),
    (
        "environments/dev.yaml",
        include_str!("init/files/environments/dev.yaml"),
    ),
    (
        "environments/staging.yaml",
        include_str!("init/files/environments/staging.yaml"),
    ),
    (
        "environments/prod.yaml",
        include_str!("init/files/environments/prod.yaml"),
    ),
    (".gitignore", include_str!("init/files/gitignore")),
    (
        ".github/workflows/platform.yaml",
        include_str!("init/files/platform-workflow.yaml"),
    ),
];

/// Why a name cannot name a platform.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` cannot name a platform: use lowercase letters, digits and `-`, starting with a \
     letter and ending with a letter or digit, at most 40 characters (it names the \
     platform's namespace and labels)"
)]
pub struct InvalidPlatformName(pub String);

/// The files of a new platform named `name`, in the order they are listed
/// to the user.
pub fn scaffold(name: &str) -> Result<Vec<ScaffoldFile>, InvalidPlatformName> {
    if !is_platform_name(name) {
        return Err(InvalidPlatformName(name.to_owned()));
    }
    let fill = |template: &str| {
        template
            .replace("{{name}}", name)
            .replace("{{version}}", env!("CARGO_PKG_VERSION"))
    };
    let mut files: Vec<ScaffoldFile> = TEMPLATES
        .iter()
        .map(|(path, template)| ScaffoldFile {
            path,
            text: fill(template),
        })
        .collect();
    files.push(ScaffoldFile {
        path: schema::PLATFORM_SCHEMA_FILE,
        text: schema::to_text(&schema::platform_schema()),
    });
    files.push(ScaffoldFile {
        path: schema::ENVIRONMENT_SCHEMA_FILE,
        text: schema::to_text(&schema::environment_schema()),
    });
    Ok(files)
}

/// The name `init` proposes for a directory: its own name, lowercased, with
/// every run of other characters turned into one `-`; `None` when nothing
/// usable is left.
pub fn name_for_directory(directory: &str) -> Option<String> {
    let mut name = String::new();
    for c in directory.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('-') && !name.is_empty() {
            name.push('-');
        }
    }
    let name = name.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
    let name: String = name.chars().take(MAX_NAME).collect();
    let name = name.trim_end_matches('-').to_owned();
    is_platform_name(&name).then_some(name)
}

/// At most 40 characters, so that names derived from it (`<name>-system`,
/// priority classes, object names with suffixes) stay within 63.
const MAX_NAME: usize = 40;

fn is_platform_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_NAME
        && bytes[0].is_ascii_lowercase()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_directories_when_they_can() {
        assert_eq!(name_for_directory("shop"), Some("shop".to_owned()));
        assert_eq!(
            name_for_directory("My_Platform.v2"),
            Some("my-platform-v2".to_owned())
        );
        assert_eq!(name_for_directory("2024-infra"), Some("infra".to_owned()));
        assert_eq!(name_for_directory("___"), None);
        assert_eq!(name_for_directory("/"), None);
        assert_eq!(
            name_for_directory(&"a".repeat(80)).map(|n| n.len()),
            Some(40)
        );
    }

    #[test]
    fn the_scaffold_names_the_platform_everywhere_and_fills_every_placeholder() {
        let files = scaffold("shop").expect("a valid name");
        for file in &files {
            for placeholder in ["{{name}}", "{{version}}"] {
                assert!(
                    !file.text.contains(placeholder),
                    "{}: {placeholder}",
                    file.path
                );
            }
        }
        let platform = &files[0];
        assert!(platform.text.contains("  name: shop\n"));
        assert!(platform.text.contains("  shop: {}\n"));
        assert!(
            platform
                .text
                .starts_with("# yaml-language-server: $schema=schemas/platform.schema.json\n")
        );
        assert!(
            files
                .iter()
                .any(|f| f.path == "schemas/platform.schema.json")
        );
        assert!(scaffold("Shop").is_err());
        assert!(scaffold("-shop").is_err());
    }
}
