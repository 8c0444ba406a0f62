//! `Cors`: the cross-origin resource sharing policy of an exposed workload,
//! answered by the ingress controller (preflights never reach the workload).

use schemars::JsonSchema;
use serde::Deserialize;

use super::HttpMethod;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Cors {
    /// Origins allowed to call the workload from a browser: `*`, a URL
    /// `https://app.example.com` (optionally `https://*.example.com` or with a
    /// `:port`; no path), or a name without dots and scheme (`app`), which
    /// becomes `https://app.<domain>` in each environment.
    pub allow_origins: Vec<String>,
    /// Methods allowed. Default: `GET`, `PUT`, `POST`, `DELETE`, `PATCH`, `OPTIONS`.
    #[serde(default)]
    pub allow_methods: Option<Vec<HttpMethod>>,
    /// Request headers allowed (letters, digits, `-` and `_`). Default:
    /// `Authorization`, `Cache-Control`, `Content-Type`, `DNT`,
    /// `If-Modified-Since`, `Keep-Alive`, `User-Agent`, `X-Requested-With`.
    #[serde(default)]
    pub allow_headers: Option<Vec<String>>,
    /// Response headers scripts may read, beyond the CORS-safelisted ones. Default: none.
    #[serde(default)]
    pub expose_headers: Vec<String>,
    /// Whether browsers may send cookies and credentials. Default `false`; not
    /// allowed with the origin `*`.
    #[serde(default)]
    pub allow_credentials: Option<bool>,
    /// Seconds browsers may cache a preflight answer. Default 7200 (the most
    /// Chromium honours).
    #[serde(default)]
    pub max_age_seconds: Option<u32>,
}
