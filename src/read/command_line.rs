//! Values given on the command line (`--set PATH=VALUE`, `--image
//! WORKLOAD=IMAGE`): spec input like the files, applied over the environment
//! overlay as one more overlay each. Held here as written; `spec::overrides`
//! reads them into trees.

/// The flag that gave a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverrideFlag {
    /// `--set PATH=VALUE`: any key, the value read as YAML.
    Set,
    /// `--image WORKLOAD=IMAGE`: a workload's image, the value read as text.
    Image,
}

impl OverrideFlag {
    /// The flag as typed, which also names the value's source in messages
    /// (`--set:1:24`).
    pub fn flag(self) -> &'static str {
        match self {
            Self::Set => "--set",
            Self::Image => "--image",
        }
    }
}

/// One command-line value: its flag and its argument as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub flag: OverrideFlag,
    pub argument: String,
}

impl Override {
    pub fn set(argument: impl Into<String>) -> Self {
        Self {
            flag: OverrideFlag::Set,
            argument: argument.into(),
        }
    }

    pub fn image(argument: impl Into<String>) -> Self {
        Self {
            flag: OverrideFlag::Image,
            argument: argument.into(),
        }
    }
}
