//! Runs the real `platformgen` binary on a temporary or checked-in platform, with
//! a cleared environment so results never depend on the caller's shell.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root, home of the built-in example platform.
pub fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What one run printed and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr in one text, for snapshots; `root` is
    /// replaced by `[ROOT]`.
    pub fn report(&self, root: &Path) -> String {
        let root = root.display().to_string();
        format!(
            "exit code: {}\n----- stdout -----\n{}----- stderr -----\n{}",
            self.code,
            self.stdout.replace(&root, "[ROOT]"),
            self.stderr.replace(&root, "[ROOT]")
        )
    }

    #[track_caller]
    pub fn success(self) -> Run {
        assert_eq!(
            self.code,
            0,
            "expected success, got:\n{}",
            self.report(Path::new("/"))
        );
        self
    }
}

/// Runs `platformgen --dir DIR ARGS...` from `cwd`, with only `env` set.
#[allow(
    clippy::print_stderr,
    reason = "the unfiltered output is shown only for failing tests"
)]
pub fn run_in(dir: &Path, cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_platformgen"));
    command
        .env_clear()
        .env("NO_COLOR", "1")
        .current_dir(cwd)
        .arg("--dir")
        .arg(dir)
        .args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("the platformgen binary runs");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    };
    // Unfiltered output helps when a snapshot comparison fails.
    eprintln!("platformgen {args:?}: exit {}\n{}", run.code, run.stderr);
    run
}

/// Runs `platformgen --dir DIR ARGS...`.
pub fn run(dir: &Path, args: &[&str]) -> Run {
    run_in(dir, dir, args, &[])
}

/// A platform in a temporary directory.
pub struct Platform {
    dir: tempfile::TempDir,
}

impl Default for Platform {
    fn default() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temporary directory"),
        }
    }
}

impl Platform {
    pub fn new() -> Self {
        Self::default()
    }

    /// A platform from a base spec and the overlays of `environments`.
    pub fn with(base: &str, environments: &[(&str, &str)]) -> Self {
        let platform = Self::new();
        platform.write("platform.yaml", base);
        for (name, text) in environments {
            platform.write(&format!("environments/{name}.yaml"), text);
        }
        platform
    }

    pub fn write(&self, relative: &str, text: &str) -> &Self {
        self.write_bytes(relative, text.as_bytes())
    }

    pub fn write_bytes(&self, relative: &str, bytes: &[u8]) -> &Self {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("relative paths have a parent"))
            .expect("create dirs");
        std::fs::write(path, bytes).expect("write file");
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn run(&self, args: &[&str]) -> Run {
        run(self.path(), args)
    }
}

/// A small valid base spec that tests vary.
pub const MINIMAL_BASE: &str = "\
platform:
  name: shop
  kubernetesVersion: \"1.33\"
namespaces:
  shop: {}
workloads:
  web:
    namespace: shop
    image: ghcr.io/acme/web:1.2.3
    ports:
      http: { port: 8080 }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    uses: [db]
    expose: { host: shop }
  db:
    kind: StatefulSet
    namespace: shop
    image: postgres:16.4
    ports:
      postgres: { port: 5432 }
    resources:
      requests: { cpu: 250m, memory: 256Mi }
      limits: { cpu: 500m, memory: 512Mi }
    storage: { size: 5Gi, mountPath: /var/lib/postgresql/data }
    env: { POSTGRES_PASSWORD_FILE: /run/secrets/postgres/password }
ingress: { controllerNamespace: ingress-nginx }
";

/// An overlay for MINIMAL_BASE.
pub const MINIMAL_PROD: &str = "\
domain: example.com
ingress: { className: nginx, tls: { issuer: letsencryptProduction, email: ops@example.com } }
workloads:
  web: { replicas: 3 }
";
