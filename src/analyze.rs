//! Semantic analysis: checks that need the whole spec (references, names, ports,
//! scaling) and builds the resolved [`crate::model::PlatformModel`].
//! Reads the spec, writes diagnostics; never panics on user input.

mod analyzer;
mod annotations;
mod batch;
mod cidr;
pub(crate) use cidr::canonical_cidr;
mod config_mounts;
mod container_resources;
mod context;
mod cron_schedule;
pub(crate) use cron_schedule::{schedule_problem, time_zone_problem};
mod duration;
pub(crate) use duration::{duration_minutes, duration_seconds, go_duration};
mod data_service_identity;
mod field_env;
mod majority;
pub(crate) use data_service_identity::{ServiceIdentity, check_identity};
pub(crate) use majority::{Voters, check_odd_voters};
mod hooks;
mod known_images;
mod names;
pub(crate) use names::label_problem;
mod network;
pub(crate) use network::internet_blocks;
pub use network::{check_labels, check_source_namespace};
mod node_pools;
mod object_names;
mod patches;
pub(crate) use object_names::{is_env_name, subdomain_problem};
mod placement;
mod port_reference;
pub(crate) use placement::placement_of;
pub(crate) use port_reference::check_port_reference;
mod priority_classes;
mod qos;
mod references;
mod rollout;
mod service_account_token;
mod side_containers;
mod waivers;
mod workload;
mod writable_paths;

pub use analyzer::analyze;
pub use context::Context;
pub use hooks::{EnvHook, Hook, Hooks, WorkloadHook};
